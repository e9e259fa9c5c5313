import { parseArgs } from 'node:util';
import { loadSettings } from '../config/settings';
import { UserError } from '../config/user-error';
import { doctor } from './doctor';
import { maintenanceCommand } from './maintenance-command';
import { migrateCommand } from './migrate-command';
import { serve } from './serve';
import { tokensCommand } from './tokens-command';
import { verifyCommand } from './verify-command';

const USAGE = `usage: aperio-exporter [serve|migrate|doctor|verify|maintenance|demo|tokens|help]

  serve    (default) collect, serve /metrics, /status and the API; with no DATABASE_URL an embedded
           PostgreSQL with demo data. --shard N --total-shards M: expose shard N of M (as SHARD and
           TOTAL_SHARDS, docs/sharding.md); --shard-collection own: collect only its tenants
           (SHARD_COLLECTION), beside one --shard platform
  migrate  apply the observability tables' migrations to DATABASE_URL (--adopt: take over existing run tables)
  doctor   check connectivity, the schema contract, privileges and indexes; exit 1 if anything fails
  verify   recompute the snapshot's numbers with independent SQL and list every difference; exit 1 if
           there is one (docs/verification.md)
  maintenance  one run of partitions, rollups and retention ("maintenance help" for flags and exit codes)
  demo     like serve, with demo data and the simulator also on DATABASE_URL (never on a real Aperio database)
  tokens   create, list or revoke API tokens ("tokens help" for the flags)

Configuration is by environment variables; the README lists them all.`;

/**
 * kube-state-metrics' flags for sharding, as the settings they stand for: a flag wins over the
 * environment, and the settings' validation names the setting when a value is wrong.
 */
function shardFlags(args: string[]): NodeJS.ProcessEnv {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: { shard: { type: 'string' }, 'total-shards': { type: 'string' }, 'shard-collection': { type: 'string' } },
      strict: true,
    }));
  } catch (err) {
    throw new UserError(
      (err as Error).message,
      'serve takes --shard N, --total-shards M and --shard-collection whole|own; everything else is configured by environment variables',
    );
  }
  return {
    ...(values.shard !== undefined && { SHARD: values.shard }),
    ...(values['total-shards'] !== undefined && { TOTAL_SHARDS: values['total-shards'] }),
    ...(values['shard-collection'] !== undefined && { SHARD_COLLECTION: values['shard-collection'] }),
  };
}

async function main(argv: string[]): Promise<number> {
  const command = argv[0] ?? 'serve';
  if (command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const serving = command === 'serve' || command === 'demo';
  const settings = loadSettings(serving ? { ...process.env, ...shardFlags(argv.slice(1)) } : process.env);
  switch (command) {
    case 'serve':
      await serve(settings);
      return -1; // keeps running until a signal
    case 'demo':
      await serve({ ...settings, demo: true });
      return -1;
    case 'migrate':
      return migrateCommand(settings, argv.slice(1));
    case 'doctor':
      return doctor(settings);
    case 'verify':
      return verifyCommand(settings, argv.slice(1));
    case 'maintenance':
      return maintenanceCommand(settings, argv.slice(1));
    case 'tokens':
      return tokensCommand(settings, argv.slice(1));
    default:
      throw new UserError(`unknown command "${command}"`, USAGE);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    if (err instanceof UserError) {
      process.stderr.write(`aperio-exporter: ${err.message}\n${err.hint ? `  fix: ${err.hint}\n` : ''}`);
      process.exit(err.exitCode);
    }
    process.stderr.write(`aperio-exporter: unexpected error\n${(err as Error)?.stack ?? String(err)}\n`);
    process.exit(70);
  },
);
