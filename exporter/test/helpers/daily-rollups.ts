import type pg from 'pg';

/**
 * For tests that write hourly rollup rows directly (history as a rollup or retention leaves it): the
 * daily rollups the rollup would keep beside them, rebuilt as the sums of the hourly rows by UTC day.
 */
export async function rebuildDailyRollups(pool: pg.Pool): Promise<void> {
  await pool.query(`DELETE FROM "RuleRunDaily"`);
  await pool.query(
    `INSERT INTO "RuleRunDaily" (day, "organizationId", runs, failures)
     SELECT (hour AT TIME ZONE 'UTC')::date, "organizationId", sum(runs), sum(failures) FROM "RuleRunHourly" GROUP BY 1, 2`,
  );
  await pool.query(`DELETE FROM "ConnectorSyncDaily"`);
  await pool.query(
    `INSERT INTO "ConnectorSyncDaily" (day, "connectionId", "organizationId", provider, runs, failures)
     SELECT (hour AT TIME ZONE 'UTC')::date, "connectionId", "organizationId", provider, sum(runs), sum(failures) FROM "ConnectorSyncHourly" GROUP BY 1, 2, 3, 4`,
  );
}
