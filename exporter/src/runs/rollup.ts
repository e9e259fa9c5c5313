import type pg from 'pg';
import { cumulativeBucketsSql, RULE_DURATION_BOUNDS_MS, SYNC_DURATION_BOUNDS_MS } from './buckets';
import { deleteMarkers, readLateHours } from './late-hours';
import { ROLLUP_LOCK_KEYS, type RunTable } from './rollup-state';
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
 * transaction each, so a first rollup over a large history never holds one huge transaction.
 */
export const REROLL_HOURS = 2;
const CHUNK_HOURS = 6;
const HOUR_MS = 3600_000;

interface Spec {
  hourly: string;
  total: string;
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
    keys: ['organizationId', 'ruleId'],
    totalKeys: ['organizationId', 'ruleId'],
    sums: ['eventsEvaluated', 'findingsOpened'],
    bounds: RULE_DURATION_BOUNDS_MS,
  },
  ConnectorSyncRun: {
    hourly: 'ConnectorSyncHourly',
    total: 'ConnectorSyncTotal',
    keys: ['connectionId', 'organizationId', 'provider'],
    totalKeys: ['connectionId'],
    sums: ['recordsIngested'],
    bounds: SYNC_DURATION_BOUNDS_MS,
  },
};

type HourRow = Record<string, unknown> & {
  hour: Date | string;
  runs: number;
  failures: number;
  durationCount: number;
  durationMsSum: number;
  durationMsMax: number;
  durationBuckets: number[];
  lastStartedAt?: Date | string | null;
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
      await client.query('SELECT pg_advisory_xact_lock($1)', [ROLLUP_LOCK_KEYS[table]]);
      const state = await client.query<{ rolledUntil: Date; prunedBefore: Date | null }>(
        `SELECT "rolledUntil", "prunedBefore" FROM "RollupState" WHERE name = $1`,
        [table],
      );
      let from: number;
      if (state.rows[0]) {
        from = state.rows[0].rolledUntil.getTime();
        if (hours === 0) from -= REROLL_HOURS * HOUR_MS;
      } else {
        const first = await client.query<{ min: Date | null }>(`SELECT min("startedAt") AS min FROM ${q(table)}`);
        from = first.rows[0].min ? Math.floor(first.rows[0].min.getTime() / HOUR_MS) * HOUR_MS : target;
      }
      const to = Math.min(target, from + CHUNK_HOURS * HOUR_MS);
      const until = new Date(Math.max(to, state.rows[0]?.rolledUntil.getTime() ?? 0));
      const prunedBefore = state.rows[0]?.prunedBefore?.getTime() ?? null;
      // Markers first, then raw rows (see late-hours.ts).
      const late = await readLateHours(client, table, { rollFrom: from, rollTo: to, until: until.getTime(), prunedBefore });
      if (to > from) await rollRange(client, SPECS[table], table, new Date(from), new Date(to));
      for (const [lateFrom, lateTo] of late.ranges) await rollRange(client, SPECS[table], table, new Date(lateFrom), new Date(lateTo));
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

async function rollRange(client: pg.PoolClient, spec: Spec, table: RunTable, from: Date, to: Date): Promise<void> {
  const keyCols = spec.keys.map(q).join(', ');
  const fresh = await client.query<HourRow>(
    `SELECT date_trunc('hour', "startedAt") AS hour, ${keyCols},
            count(*) AS runs, count(*) FILTER (WHERE status IN ${FAILURE_STATUS_SQL}) AS failures,
            count("durationMs") AS "durationCount",
            coalesce(sum("durationMs"), 0) AS "durationMsSum", coalesce(max("durationMs"), 0) AS "durationMsMax",
            ${cumulativeBucketsSql('"durationMs"', spec.bounds)} AS "durationBuckets",
            ${spec.sums.map((s) => `coalesce(sum(${q(s)}), 0) AS ${q(s)}`).join(', ')},
            max("startedAt") AS "lastStartedAt"
     FROM ${q(table)} WHERE "startedAt" >= $1 AND "startedAt" < $2
     GROUP BY 1, ${keyCols}`,
    [from, to],
  );
  const old = await client.query<HourRow>(`SELECT * FROM ${q(spec.hourly)} WHERE hour >= $1 AND hour < $2`, [from, to]);

  // The change each key's running total needs: what the hours add now minus what they added before.
  const keyOf = (row: HourRow) => spec.keys.map((k) => String(row[k])).join('\u0000');
  const deltas = new Map<string, Record<string, unknown>>();
  const apply = (row: HourRow, sign: 1 | -1) => {
    const key = keyOf(row);
    const delta = deltas.get(key) ?? {
      ...Object.fromEntries(spec.keys.map((k) => [k, row[k]])),
      ...Object.fromEntries([...COUNTERS, ...spec.sums].map((c) => [c, 0])),
      durationBuckets: new Array<number>(spec.bounds.length).fill(0),
      lastStartedAt: null,
    };
    for (const c of [...COUNTERS, ...spec.sums]) delta[c] = (delta[c] as number) + sign * Number(row[c]);
    const buckets = delta.durationBuckets as number[];
    row.durationBuckets.forEach((v, i) => (buckets[i] += sign * Number(v)));
    if (sign === 1 && row.lastStartedAt) {
      const current = delta.lastStartedAt as Date | null;
      const candidate = new Date(row.lastStartedAt);
      if (!current || candidate > current) delta.lastStartedAt = candidate;
    }
    deltas.set(key, delta);
  };
  old.rows.forEach((row) => apply(row, -1));
  fresh.rows.forEach((row) => apply(row, 1));

  await client.query(`DELETE FROM ${q(spec.hourly)} WHERE hour >= $1 AND hour < $2`, [from, to]);
  if (fresh.rows.length) {
    const rows = fresh.rows.map(({ lastStartedAt: _ignored, ...row }) => row);
    await client.query(`INSERT INTO ${q(spec.hourly)} SELECT * FROM json_populate_recordset(NULL::${q(spec.hourly)}, $1)`, [
      JSON.stringify(rows),
    ]);
  }
  const changed = [...deltas.values()].filter((d) => [...COUNTERS, ...spec.sums].some((c) => d[c] !== 0) || d.lastStartedAt !== null);
  if (!changed.length) return;
  const all = [...COUNTERS, ...spec.sums];
  // A running total only grows: a Prometheus counter that goes back reads as a restart. A negative
  // difference comes only from a rolled run updated to lower figures (a status corrected away from
  // FAILED, a shorter duration); the hourly table takes the correction, the counter keeps what it showed.
  await client.query(
    `INSERT INTO ${q(spec.total)} AS t SELECT * FROM json_populate_recordset(NULL::${q(spec.total)}, $1)
     ON CONFLICT (${spec.totalKeys.map(q).join(', ')}) DO UPDATE SET
       ${all.map((c) => `${q(c)} = t.${q(c)} + greatest(excluded.${q(c)}, 0)`).join(', ')},
       "durationBuckets" = (SELECT array_agg(coalesce(a, 0) + greatest(coalesce(b, 0), 0) ORDER BY i)
                            FROM unnest(t."durationBuckets", excluded."durationBuckets") WITH ORDINALITY AS u(a, b, i)),
       "lastStartedAt" = greatest(t."lastStartedAt", excluded."lastStartedAt")`,
    [JSON.stringify(changed)],
  );
}
