import type { Settings } from '../config/settings';
import { applyCoreFixture, migrate } from '../db/migrate';
import { checkConnection, createPool } from '../db/pool';
import { resolveDatabase } from './database';

export async function migrateCommand(settings: Settings): Promise<number> {
  const { url, embedded } = await resolveDatabase(settings);
  const pool = createPool(url, { max: 1 });
  try {
    await checkConnection(pool, url);
    if (embedded) await applyCoreFixture(pool);
    const applied = await migrate(pool);
    process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'up to date: nothing to apply\n');
    return 0;
  } finally {
    await pool.end();
    await embedded?.stop();
  }
}
