import fs from 'node:fs';
import path from 'node:path';
import { generatedFiles } from './index';

/**
 * Writes dashboards/generated, importable and plugin from the TypeScript sources. With --check it writes nothing and exits 1
 * if the committed files differ from what the sources produce (or a stale file is left over).
 */
const ROOT = path.resolve(__dirname, '..');
const DIRS = ['generated', 'importable', 'plugin'];

function listJson(): string[] {
  return DIRS.flatMap((dir) => {
    const full = path.join(ROOT, dir);
    if (!fs.existsSync(full)) return [];
    return fs
      .readdirSync(full, { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile() && e.name.endsWith('.json'))
      .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)));
  }).sort();
}

function main(): number {
  const check = process.argv.includes('--check');
  const files = generatedFiles();
  const expected = new Set(files.map((f) => f.path));
  const drift: string[] = [];
  for (const file of files) {
    const target = path.join(ROOT, file.path);
    const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : null;
    if (current === file.content) continue;
    drift.push(current === null ? `missing ${file.path}` : `changed ${file.path}`);
    if (!check) {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, file.content);
    }
  }
  for (const stale of listJson().filter((f) => !expected.has(f))) {
    drift.push(`stale ${stale}`);
    if (!check) fs.rmSync(path.join(ROOT, stale));
  }
  if (check && drift.length) {
    console.error(`dashboards/generated, importable or plugin is out of date (run npm run build -w dashboards):\n  ${drift.join('\n  ')}`);
    return 1;
  }
  console.log(
    check
      ? `dashboards/generated, importable and plugin are up to date (${files.length} files)`
      : `wrote ${drift.length} of ${files.length} files in ${ROOT}`,
  );
  return 0;
}

process.exitCode = main();
