import type pg from 'pg';
import { cumulativeBucketsSql, RULE_DURATION_BOUNDS_MS, SYNC_DURATION_BOUNDS_MS } from './buckets';
import { CHANGE_KEY_COLUMN, changedDaysLogSql } from './change-log';
import { deleteMarkers, readLateHours } from './late-hours';
import { DAILY_TABLE, ROLLUP_LOCK_KEYS, type DailyTable, type RunTable } from './rollup-state';
import { FAILURE_STATUS_SQL } from './statuses';

/**
 * Rolls closed hours of raw runs into the hourly tables and the running totals; the totals move by the
 * difference between an hour's new and old figures, which keeps them exact and idempotent: rolling the
 * same hours twice changes nothing. Runs written after their hour was rolled are recomputed from the
 * markers the run tables' triggers leave (late-hours.ts), however late they come.
 *
 * The last REROLL_HOURS hours are still recomputed every time, for the rows no marker covers: a trigger
 * marks a row only if its hour had closed when the statement ran, so a run written in the open hour by
 * a transaction that commits after the hour closed (and after a rollup read it), or written while the
 * database's clock is behind the exporter's, has no marker. Work goes in chunks of CHUNK_HOURS, one
 * transaction each, so a first rollup over a large history never holds one huge transaction. Each range
 * is one set-based statement (rollRange): no run passes through the exporter, only the hour-aligned
 * range bounds do.
 */
export const REROLL_HOURS = 2;
const CHUNK_HOURS = 24;
const ROLLUP_WORK_MEM = '64MB';
const HOUR_MS = 3600_000;

interface Spec {
  hourly: string;
  total: string;
  /** The daily run counts (the status history), keyed by UTC day and dailyKeys. */
  daily: DailyTable;
  dailyKeys: string[];
  keys: string[];
  /** The running total's primary key. */
  totalKeys: string[];
  sums: string[];
  bounds: readonly number[];
}

const SPECS: Record<RunTable, Spec> = {
  RuleRun: {
    hourly: 'RuleRunHourly',
    total: 'RuleRunTotal',
    daily: DAILY_TABLE.RuleRun,
    dailyKeys: ['organizationId'],
    keys: ['organizationId', 'ruleId'],
    totalKeys: ['organizationId', 'ruleId'],
    sums: ['eventsEvaluated', 'findingsOpened'],
    bounds: RULE_DURATION_BOUNDS_MS,
  },
  ConnectorSyncRun: {
    hourly: 'ConnectorSyncHourly',
    total: 'ConnectorSyncTotal',
    daily: DAILY_TABLE.ConnectorSyncRun,
    dailyKeys: ['connectionId', 'organizationId', 'provider'],
    keys: ['connectionId', 'organizationId', 'provider'],
    totalKeys: ['connectionId'],
    sums: ['recordsIngested'],
    bounds: SYNC_DURATION_BOUNDS_MS,
  },
};

const q = (name: string) => `"${name}"`;
const COUNTERS = ['runs', 'failures', 'durationCount', 'durationMsSum'];

export interface RollupResult {
  table: RunTable;
  hours: number;
  /** Closed hours recomputed because runs were written or updated after they were rolled. */
  lateHours: number;
  /** Marked hours not recomputed because retention may have removed raw rows of them. */
  lateHoursSkipped: number;
  rolledUntil: Date;
}

export async function rollUp(pool: pg.Pool, table: RunTable, now = Date.now()): Promise<RollupResult> {
  const target = Math.floor(now / HOUR_MS) * HOUR_MS; // only closed hours
  let hours = 0;
  let lateHours = 0;
  let lateHoursSkipped = 0;
  for (;;) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      // A day's chunk aggregates a few hundred thousand runs twice (by hour, then by key): with the stock
      // 4 MB both spill to temporary files. Local to this transaction, one session at a time (the lock).
      await client.query(`SET LOCAL work_mem = '${ROLLUP_WORK_MEM}'`);
      await client.query('SELECT pg_advisory_xact_lock($1)', [ROLLUP_LOCK_KEYS[table]]);
      const { from, to, until, prunedBefore, rolledBefore } = await nextChunk(client, table, target, hours === 0);
      // Markers first, then raw rows (see late-hours.ts).
      const late = await readLateHours(client, table, { rollFrom: from, rollTo: to, until: until.getTime(), prunedBefore });
      await rollChunk(client, table, from, to, rolledBefore);
      for (const [lateFrom, lateTo] of late.ranges)
        await rollRange(client, SPECS[table], table, new Date(lateFrom), new Date(lateTo), true);
      await deleteMarkers(client, late.ids);
      await client.query(
        `INSERT INTO "RollupState" (name, "rolledUntil") VALUES ($1, $2)
         ON CONFLICT (name) DO UPDATE SET "rolledUntil" = excluded."rolledUntil"`,
        [table, until],
      );
      await client.query('COMMIT');
      hours += Math.max(0, (to - from) / HOUR_MS);
      lateHours += late.ranges.reduce((sum, [a, b]) => sum + (b - a) / HOUR_MS, 0);
      lateHoursSkipped += late.skipped;
      if (to >= target) return { table, hours, lateHours, lateHoursSkipped, rolledUntil: until };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }
}

/**
 * The next chunk of hours to roll, from the rollup state: from the watermark (minus the hours re-read on
 * a run's first chunk), or from the oldest run before any rollup; at most CHUNK_HOURS, up to `target`.
 * `until` is the watermark after it, `rolledBefore` the watermark before it.
 */
async function nextChunk(client: pg.PoolClient, table: RunTable, target: number, firstChunk: boolean) {
  const state = await client.query<{ rolledUntil: Date; prunedBefore: Date | null }>(
    `SELECT "rolledUntil", "prunedBefore" FROM "RollupState" WHERE name = $1`,
    [table],
  );
  const rolledUntil = state.rows[0]?.rolledUntil.getTime() ?? null;
  let from: number;
  if (rolledUntil !== null) {
    from = firstChunk ? rolledUntil - REROLL_HOURS * HOUR_MS : rolledUntil;
  } else {
    const first = await client.query<{ min: Date | null }>(`SELECT min("startedAt") AS min FROM ${q(table)}`);
    from = first.rows[0].min ? Math.floor(first.rows[0].min.getTime() / HOUR_MS) * HOUR_MS : target;
  }
  const to = Math.min(target, from + CHUNK_HOURS * HOUR_MS);
  return {
    from,
    to,
    until: new Date(Math.max(to, rolledUntil ?? 0)),
    prunedBefore: state.rows[0]?.prunedBefore?.getTime() ?? null,
    rolledBefore: rolledUntil ?? from,
  };
}

/**
 * Rolls [from, to) where the watermark stood at `rolledBefore`. Hours rolled before (re-read) move a
 * running total, or a daily count, only when their runs changed after the collectors had read them
 * through the raw rows: those moves, and the earliest day whose count moved, are logged for the
 * collectors (change-log.ts). Hours rolled for the first time only carry raw rows into the totals and
 * into days from the old watermark's on, which changes no figure a collector reads.
 */
async function rollChunk(client: pg.PoolClient, table: RunTable, from: number, to: number, rolledBefore: number): Promise<void> {
  const split = Math.min(Math.max(from, rolledBefore), to);
  if (split > from) await rollRange(client, SPECS[table], table, new Date(from), new Date(split), true);
  if (to > split) await rollRange(client, SPECS[table], table, new Date(split), new Date(to), false);
}

/**
 * Recomputes the hours [from, to) of a run table in one statement, all in SQL (no run or timestamp
 * passes through JavaScript, so lastStartedAt keeps its microseconds): the raw runs are aggregated once
 * per hour and key; the running totals move by each key's new figures minus the figures its hourly rows
 * held; the hourly rows are upserted and those of keys with no run left are deleted (the upsert and the
 * delete touch disjoint rows, and the old figures are read from the statement's snapshot); each UTC day's
 * daily counts move by the same difference, so they stay the sum of the day's hourly rows. A daily row
 * left with no run is deleted by a second statement, only when there is one.
 */
async function rollRange(client: pg.PoolClient, spec: Spec, table: RunTable, from: Date, to: Date, logMoves: boolean): Promise<void> {
  const keyCols = spec.keys.map(q).join(', ');
  const all = [...COUNTERS, ...spec.sums];
  const hourlyKeys = ['hour', ...spec.totalKeys].map(q); // the hourly table's primary key
  const hourlyValues = [...spec.keys.filter((k) => !spec.totalKeys.includes(k)), ...all, 'durationMsMax', 'durationBuckets'].map(q);
  const bucketIndexes = spec.bounds.map((_, i) => i + 1);
  const dailyKeys = spec.dailyKeys.map(q).join(', ');
  const utcDay = (column: string) => `(${column} AT TIME ZONE 'UTC')::date`;
  // A range never rolled (the first rollup, a catch-up) has no hourly rows: a plain insert, and no old
  // figures to subtract. Nothing else writes the hourly rows meanwhile (the rollup's advisory lock).
  const { rows: existing } = await client.query<{ rolled: boolean }>(
    `SELECT EXISTS (SELECT FROM ${q(spec.hourly)} WHERE hour >= $1 AND hour < $2) AS rolled`,
    [from, to],
  );
  const rolled = existing[0].rolled;
  // The buckets' sum, element by element; the general form (for a stored array longer than the layout)
  // costs a subquery per row.
  const n = spec.bounds.length;
  const bucketSum = `CASE WHEN cardinality(t."durationBuckets") <= ${n}
         THEN ARRAY[${bucketIndexes.map((i) => `coalesce(t."durationBuckets"[${i}], 0) + greatest(coalesce(excluded."durationBuckets"[${i}], 0), 0)`).join(', ')}]::bigint[]
         ELSE (SELECT array_agg(coalesce(a, 0) + greatest(coalesce(b, 0), 0) ORDER BY i)
               FROM unnest(t."durationBuckets", excluded."durationBuckets") WITH ORDINALITY AS u(a, b, i)) END`;
  // A running total only grows: a Prometheus counter that goes back reads as a restart. A negative
  // difference comes only from a rolled run updated to lower figures (a status corrected away from
  // FAILED, a shorter duration); the hourly table takes the correction, the counter keeps what it showed.
  // Keys whose figures did not change and that have no run in the range are left alone.
  const { rows } = await client.query<{ emptiedDays: number }>(
    `WITH fresh AS (
       SELECT date_trunc('hour', "startedAt") AS hour, ${keyCols},
              count(*) AS runs, count(*) FILTER (WHERE status IN ${FAILURE_STATUS_SQL}) AS failures,
              count("durationMs") AS "durationCount",
              coalesce(sum("durationMs"), 0) AS "durationMsSum", coalesce(max("durationMs"), 0) AS "durationMsMax",
              ${cumulativeBucketsSql('"durationMs"', spec.bounds)} AS "durationBuckets",
              ${spec.sums.map((s) => `coalesce(sum(${q(s)}), 0) AS ${q(s)}`).join(', ')},
              max("startedAt") AS "lastStartedAt"
       FROM ${q(table)} WHERE "startedAt" >= $1 AND "startedAt" < $2
       GROUP BY 1, ${keyCols}
     ),
     upserted AS (
       INSERT INTO ${q(spec.hourly)} (${[...hourlyKeys, ...hourlyValues].join(', ')})
       SELECT ${[...hourlyKeys, ...hourlyValues].join(', ')} FROM fresh${
         rolled
           ? `
       ON CONFLICT (${hourlyKeys.join(', ')}) DO UPDATE SET ${hourlyValues.map((c) => `${c} = excluded.${c}`).join(', ')}`
           : ''
       }
     ),${
       rolled
         ? `
     emptied AS (
       DELETE FROM ${q(spec.hourly)} h WHERE h.hour >= $1 AND h.hour < $2
         AND NOT EXISTS (SELECT FROM fresh f WHERE ${hourlyKeys.map((c) => `f.${c} = h.${c}`).join(' AND ')})
     ),`
         : ''
     }
     changes AS ${rolled ? '' : 'NOT MATERIALIZED '}(
       SELECT 1 AS sign, hour, ${keyCols}, ${all.map(q).join(', ')}, "durationBuckets", "lastStartedAt" FROM fresh${
         rolled
           ? `
       UNION ALL
       SELECT -1, hour, ${keyCols}, ${all.map(q).join(', ')}, "durationBuckets", NULL FROM ${q(spec.hourly)} WHERE hour >= $1 AND hour < $2`
           : ''
       }
     ),
     daily AS (
       INSERT INTO ${q(spec.daily)} AS d (day, ${dailyKeys}, runs, failures)
       SELECT ${utcDay('hour')}, ${dailyKeys}, sum(sign * runs), sum(sign * failures) FROM changes
       GROUP BY 1, ${dailyKeys} HAVING sum(sign * runs) <> 0 OR sum(sign * failures) <> 0
       ON CONFLICT (day, ${dailyKeys}) DO UPDATE SET runs = d.runs + excluded.runs, failures = d.failures + excluded.failures
       RETURNING d.day, d.runs
     ),
     delta AS (
       SELECT ${keyCols}, ${all.map((c) => `sum(sign * ${q(c)}) AS ${q(c)}`).join(', ')},
              ARRAY[${bucketIndexes.map((i) => `sum(sign * "durationBuckets"[${i}])`).join(', ')}]::bigint[] AS "durationBuckets",
              max("lastStartedAt") AS "lastStartedAt"
       FROM changes GROUP BY ${keyCols}
     ),
     totals AS (
       INSERT INTO ${q(spec.total)} AS t (${keyCols}, ${all.map(q).join(', ')}, "durationBuckets", "lastStartedAt")
       SELECT ${keyCols}, ${all.map(q).join(', ')}, "durationBuckets", "lastStartedAt" FROM delta
       WHERE ${all.map((c) => `${q(c)} <> 0`).join(' OR ')} OR "lastStartedAt" IS NOT NULL
       ON CONFLICT (${spec.totalKeys.map(q).join(', ')}) DO UPDATE SET
         ${all.map((c) => `${q(c)} = t.${q(c)} + greatest(excluded.${q(c)}, 0)`).join(', ')},
         "durationBuckets" = ${bucketSum},
         "lastStartedAt" = greatest(t."lastStartedAt", excluded."lastStartedAt")
       -- Only a total that moves is written (and returned): a re-read hour with nothing new leaves it be.
       WHERE ${all.map((c) => `excluded.${q(c)} > 0`).join(' OR ')}
          OR EXISTS (SELECT FROM unnest(excluded."durationBuckets") AS b WHERE b > 0)
          OR excluded."lastStartedAt" > t."lastStartedAt" OR (t."lastStartedAt" IS NULL AND excluded."lastStartedAt" IS NOT NULL)
       RETURNING t."organizationId", t.${q(CHANGE_KEY_COLUMN[table])}
     )
${
  logMoves
    ? `,
     ${movedTotalsLogSql(table)},
     days_logged AS (${changedDaysLogSql(spec.daily, 'daily')})`
    : ''
}
     SELECT count(*)::int AS "emptiedDays" FROM daily WHERE runs = 0`,
    [from, to],
  );
  if (rows[0].emptiedDays > 0) {
    await client.query(
      `DELETE FROM ${q(spec.daily)} WHERE day >= ${utcDay('$1::timestamptz')} AND day <= ${utcDay('$2::timestamptz')} AND runs = 0`,
      [from, to],
    );
  }
}

/**
 * A CTE logging the keys whose running total this statement moved (change-log.ts): the totals' upsert
 * writes and returns only the totals that move (a new total, a counter or bucket that grows, a later
 * last start).
 */
function movedTotalsLogSql(table: RunTable): string {
  return `logged AS (
       INSERT INTO "RunChange" ("table", "organizationId", key)
       SELECT '${table}', "organizationId"::text, ${q(CHANGE_KEY_COLUMN[table])}::text FROM totals
     )`;
}
