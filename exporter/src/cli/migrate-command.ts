import { parseArgs } from 'node:util';
import type { Settings } from '../config/settings';
import { UserError } from '../config/user-error';
import { applyCoreFixture, migrate } from '../db/migrate';
import { checkConnection, createPool } from '../db/pool';
import { resolveDatabase } from './database';

export const MIGRATE_USAGE = `usage: aperio-exporter migrate [--adopt]

--adopt  a RuleRun or ConnectorSyncRun table that migrate did not create (from an earlier phase of Aperio)
         is renamed to <Table>_adopted and its rows copied into the partitioned table in batches, with
         progress; run it again to resume an interrupted copy. Without it, migrate refuses such a table.`;

export async function migrateCommand(settings: Settings, argv: string[] = []): Promise<number> {
  let adopt = false;
  try {
    adopt = parseArgs({ args: argv, options: { adopt: { type: 'boolean' } }, strict: true, allowPositionals: false }).values.adopt ?? false;
  } catch (err) {
    throw new UserError((err as Error).message, MIGRATE_USAGE);
  }
  const { url, embedded } = await resolveDatabase(settings);
  const pool = createPool(url, { max: 1 });
  try {
    await checkConnection(pool, url);
    if (embedded) await applyCoreFixture(pool);
    const applied = await migrate(pool, undefined, {
      adopt,
      progress: true,
      onAdopted: (reports) => {
        for (const r of reports) {
          process.stdout.write(
            `adopted ${r.copied} row(s) of "${r.source}" into "${r.table}"; drop the old table once satisfied: DROP TABLE "${r.source}"\n`,
          );
        }
      },
    });
    process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'up to date: nothing to apply\n');
    return 0;
  } finally {
    await pool.end();
    await embedded?.stop();
  }
}
