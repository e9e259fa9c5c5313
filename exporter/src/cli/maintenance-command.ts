import { parseArgs } from 'node:util';
import type pg from 'pg';
import type { Settings } from '../config/settings';
import { UserError } from '../config/user-error';
import { loadMigrations } from '../db/migrate';
import { checkConnection, createPool } from '../db/pool';
import { withMaintenanceLock } from '../maintenance/lock';
import { planMaintenance, type MaintenancePlan } from '../maintenance/plan';
import { MAINTENANCE_STEPS, runMaintenance, type MaintenanceReport } from '../maintenance/runner';
import { Progress } from '../util/progress';
import { formatTable } from '../util/text-table';

export const MAINTENANCE_USAGE = `usage: aperio-exporter maintenance [--dry-run] [--wait-seconds N]

One maintenance run on DATABASE_URL: daily partitions ahead, hourly rollups, retention. Safe next to
running exporters: it takes the lock their own maintenance takes, waiting up to --wait-seconds
(default 300) for a run in progress. --dry-run prints what it would do and changes nothing.

exit codes: 0 done (or planned, with --dry-run); 1 a step failed (the steps before it are kept);
            2 bad flag or setting, database unreachable, migrations not applied;
            3 another maintenance run held the lock for longer than --wait-seconds`;

export const EXIT_STEP_FAILED = 1;
export const EXIT_LOCK_BUSY = 3;

export async function maintenanceCommand(settings: Settings, argv: string[]): Promise<number> {
  const options = parseOptions(argv);
  if (options === 'help') {
    process.stdout.write(MAINTENANCE_USAGE + '\n');
    return 0;
  }
  if (!settings.DATABASE_URL)
    throw new UserError(
      'maintenance needs DATABASE_URL',
      'set DATABASE_URL to the Aperio database (the embedded demo runs maintenance by itself every minute)',
    );
  const url = settings.DATABASE_URL;
  const pool = createPool(url, { max: 3, applicationName: 'aperio-exporter-maintenance' });
  try {
    await checkConnection(pool, url);
    await assertMigrated(pool);
    if (options.dryRun) {
      process.stdout.write(describePlan(await planMaintenance(pool)));
      return 0;
    }
    const progress = new Progress('maintenance', MAINTENANCE_STEPS.length);
    progress.update(0);
    let current = MAINTENANCE_STEPS[0];
    const outcome = await withMaintenanceLock(pool, options.waitSeconds * 1000, () =>
      runMaintenance(pool, Date.now(), (event) => {
        current = event.step;
        if (event.phase === 'end') progress.update(event.index + 1);
      }).then(
        (report) => ({ report }),
        (err: Error & { step?: string }) => ({ failed: err.step ?? current, error: err.message }),
      ),
    );
    if (!outcome) {
      process.stderr.write(
        `another maintenance run (an exporter replica or another job) held the lock for over ${options.waitSeconds}s; nothing was done\n`,
      );
      return EXIT_LOCK_BUSY;
    }
    if ('failed' in outcome.value) {
      process.stderr.write(`maintenance step "${outcome.value.failed}" failed: ${outcome.value.error}\n`);
      return EXIT_STEP_FAILED;
    }
    process.stdout.write(describeReport(outcome.value.report));
    return 0;
  } finally {
    await pool.end();
  }
}

function parseOptions(argv: string[]): { dryRun: boolean; waitSeconds: number } | 'help' {
  if (argv[0] === 'help' || argv.includes('--help') || argv.includes('-h')) return 'help';
  let values: { 'dry-run'?: boolean; 'wait-seconds'?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { 'dry-run': { type: 'boolean' }, 'wait-seconds': { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UserError((err as Error).message, MAINTENANCE_USAGE);
  }
  const wait = values['wait-seconds'] ?? '300';
  if (!/^\d+$/.test(wait)) throw new UserError(`--wait-seconds must be a whole number of seconds, not "${wait}"`, MAINTENANCE_USAGE);
  return { dryRun: values['dry-run'] ?? false, waitSeconds: Number(wait) };
}

async function assertMigrated(pool: pg.Pool): Promise<void> {
  const applied = await pool.query<{ version: number }>('SELECT version FROM "_aperio_migrations"').then(
    (r) => new Set(r.rows.map((row) => row.version)),
    () => new Set<number>(),
  );
  const pending = loadMigrations().filter((m) => !applied.has(m.version));
  if (pending.length)
    throw new UserError(`migrations not applied: ${pending.map((m) => m.name).join(', ')}`, 'run `aperio-exporter migrate` first');
}

const count = (n: number) => n.toLocaleString('en-US');

function describeReport(report: MaintenanceReport): string {
  const rows = [
    ['step', 'result'],
    ['partitions', `${report.partitionsCreated} created`],
    ...report.rollups.map((r) => [`rollup ${r.table}`, `${count(r.hours)} hour(s) rolled up, rolled until ${r.rolledUntil.toISOString()}`]),
    ...report.retention.map((r) => [
      `retention ${r.table}`,
      `${r.partitionsDropped.length} partition(s) dropped, ${count(r.rowsDeleted)} row(s) deleted`,
    ]),
  ];
  return `${formatTable(rows)}done in ${(report.durationMs / 1000).toFixed(1)} s\n`;
}

function describePlan(plan: MaintenancePlan): string {
  const rows = [
    ['step', 'would do (dry run: nothing was changed)'],
    ['partitions', plan.partitionsToCreate.length ? `create ${plan.partitionsToCreate.join(', ')}` : 'nothing to create'],
    ...plan.rollups.map((r) => [
      `rollup ${r.table}`,
      r.from ? `roll up ${count(r.hours)} hour(s) from ${r.from.toISOString()} to ${r.until.toISOString()}` : 'no rows to roll up',
    ]),
    ...plan.retention.map((r) => [
      `retention ${r.table}`,
      `drop ${r.partitionsDropped.length ? r.partitionsDropped.join(', ') : 'no partition'}, delete ${count(r.rowsDeleted)} row(s)`,
    ]),
  ];
  return formatTable(rows);
}
