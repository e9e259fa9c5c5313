import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/db/embedded';
import { freePort } from '../src/util/net';

export interface BenchDatabase {
  url: string;
  /** Where the server runs, for the report. */
  description: string;
  stop(): Promise<void>;
}

/**
 * BENCH_DATABASE_URL (an empty scratch database), or a throw-away embedded server in a temp directory.
 * A server of BENCH_DATABASE_URL on this machine whose data directory BENCH_DATABASE_DATA_DIR names is
 * held back the same way as the embedded one (lowerCpuPriority), so both are measured alike.
 */
export async function benchDatabase(): Promise<BenchDatabase> {
  const given = process.env.BENCH_DATABASE_URL;
  if (given) {
    const dataDir = process.env.BENCH_DATABASE_DATA_DIR;
    const placement = dataDir ? lowerCpuPriority(dataDir) : null;
    return {
      url: given,
      description: `BENCH_DATABASE_URL${placement ? ` (local server ${placement.description})` : ''}`,
      stop: async () => placement?.release(),
    };
  }
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'aperio-bench-'));
  fs.chmodSync(parent, 0o755);
  const server = await startEmbeddedPostgres(parent, await freePort());
  await tuneForBulkLoad(server.url);
  const placement = lowerCpuPriority(server.dataDir);
  return {
    url: server.url,
    description: `embedded PostgreSQL in ${server.dataDir} ${placement.description}`,
    stop: async () => {
      await server.stop();
      placement.release();
      fs.rmSync(parent, { recursive: true, force: true });
    },
  };
}

/**
 * In production the database has a host of its own; here it shares 2 cores with the exporter and the 8
 * scrapers, and a busy backend would take the CPU from the exporter and be measured as the exporter's
 * stall. A nice value alone does not keep it back: PostgreSQL starts every backend and parallel worker
 * in a session of its own (setsid), and with the scheduler's autogroups (`sched_autogroup_enabled`, on
 * by default) every session is a group with an equal share of the CPU, whatever the nice values inside
 * it; four busy workers then get four shares to the exporter's one. A cgroup does keep it back: its
 * processes, and all they fork, leave the autogroups and share by cgroup weight. So the postmaster goes
 * into a cgroup of the lowest CPU weight (it still gets every idle cycle: the collection timings,
 * measured alone, are unaffected), at nice 10 as well; where no cgroup can be made (not root, no cpu
 * controller), nice 10 alone, and the report says which.
 */
export const DATABASE_NICE = 10;
const CGROUP_NAME = 'aperio-bench-db';
const CGROUPS = [
  { dir: `/sys/fs/cgroup/cpu/${CGROUP_NAME}`, weightFile: 'cpu.shares', weight: '2', label: 'a cgroup of cpu.shares 2 (cgroup v1)' },
  { dir: `/sys/fs/cgroup/${CGROUP_NAME}`, weightFile: 'cpu.weight', weight: '1', label: 'a cgroup of cpu.weight 1 (cgroup v2)' },
];

interface Placement {
  description: string;
  release(): void;
}

function lowerCpuPriority(dataDir: string): Placement {
  const postmaster = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const processes = [postmaster, ...childrenOf(postmaster)];
  for (const pid of processes) {
    try {
      os.setPriority(pid, DATABASE_NICE);
    } catch (err) {
      // A backend that ended between the listing and now (ESRCH) needs no priority.
      if ((err as { info?: { code?: string } }).info?.code !== 'ESRCH') throw err;
    }
  }
  for (const cgroup of CGROUPS) {
    try {
      fs.mkdirSync(cgroup.dir, { recursive: true });
      fs.writeFileSync(path.join(cgroup.dir, cgroup.weightFile), cgroup.weight);
      for (const pid of processes) fs.writeFileSync(path.join(cgroup.dir, 'cgroup.procs'), String(pid));
      return {
        description: `at nice ${DATABASE_NICE} in ${cgroup.label}`,
        release: () => {
          try {
            fs.rmdirSync(cgroup.dir); // empty once the server stopped
          } catch {
            // still in use or gone: left for the next run, which reuses it
          }
        },
      };
    } catch {
      // not permitted or no such controller here: try the next kind, or keep nice alone
    }
  }
  return {
    description: `at nice ${DATABASE_NICE} (no cgroup could be made: the scheduler's autogroups may still give it more)`,
    release: () => undefined,
  };
}

function childrenOf(parent: number): number[] {
  return fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after the last ')'
        const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent;
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
}

/**
 * A throw-away server need not survive a crash, so the load skips fsync; checkpoints are spread out so
 * the seeding is not dominated by them. Query settings stay at their defaults: the figures are for those.
 */
async function tuneForBulkLoad(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`ALTER SYSTEM SET fsync = off`);
    await client.query(`ALTER SYSTEM SET synchronous_commit = off`);
    await client.query(`ALTER SYSTEM SET max_wal_size = '4GB'`);
    await client.query(`SELECT pg_reload_conf()`);
  } finally {
    await client.end();
  }
}
