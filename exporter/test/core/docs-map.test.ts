import fs from 'node:fs';
import path from 'node:path';

/**
 * docs/architecture.md is the map of the code and CONTRIBUTING.md the recipes that walk it: both name
 * files, and a renamed or removed file leaves them lying. Every path they name must exist, and every
 * folder of the exporter's source must be on the map.
 */
const REPO = path.resolve(__dirname, '..', '..', '..');
const MAPS = ['docs/architecture.md', 'CONTRIBUTING.md'];
const SRC = path.join(REPO, 'exporter', 'src');

const SKIP = new Set(['node_modules', '.git', 'dist', 'coverage', 'test-output']);

/**
 * Where a path in the prose may be relative to: the prose names a file from the folder its paragraph is
 * about (`checks/` under monitors/, `sharded/` under deploy/kubernetes/), so any folder of the
 * repository down to four levels.
 */
function folders(dir: string, depth: number): string[] {
  if (depth === 0) return [dir];
  // Below the source roots, every folder: a bare file name (`judge.ts`) is a file of the folder discussed.
  if (/\/(src|test)$/.test(dir)) depth = 8;
  const children = fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory() && !SKIP.has(d.name));
  return [dir, ...children.flatMap((d) => folders(path.join(dir, d.name), depth - 1))];
}
const BASES = folders(REPO, 4);

/** Code spans that look like a file or folder of this repository: `a/b.ts`, `b.ts`, `a/b/`. */
function namedPaths(markdown: string): string[] {
  const spans = [...markdown.matchAll(/`([^`\s]+)`/g)].map((m) => m[1]);
  return spans.filter((s) => /^([\w.@-]+\/)*([\w-][\w.-]*\.(ts|tsx|js|mjs|json|sql|yaml|yml|md|sh))$|^([\w.@-]+\/)+$/.test(s));
}

const exists = (p: string) => BASES.some((base) => fs.existsSync(path.join(base, p)));

describe.each(MAPS)('%s', (file) => {
  const text = fs.readFileSync(path.join(REPO, file), 'utf8');

  it('names only files and folders that exist', () => {
    const paths = namedPaths(text);
    expect(paths.length).toBeGreaterThan(10);
    expect(paths.filter((p) => !exists(p))).toEqual([]);
  });
});

it('docs/architecture.md describes every folder of exporter/src', () => {
  const text = fs.readFileSync(path.join(REPO, 'docs/architecture.md'), 'utf8');
  const folders = fs
    .readdirSync(SRC, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => `${d.name}/`);
  expect(folders.length).toBeGreaterThan(20);
  expect(folders.filter((folder) => !text.includes(`\`${folder}\``) && !text.includes(`\`exporter/src/${folder}\``))).toEqual([]);
});
