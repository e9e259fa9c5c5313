import type pg from 'pg';
import { cumulativeBucketsSql, RULE_DURATION_BOUNDS_MS, SYNC_DURATION_BOUNDS_MS } from './buckets';
import type { RunTable } from './rollup-state';
import { FAILURE_STATUS_SQL } from './statuses';

/**
 * Rolls closed hours of raw runs into the hourly tables and the running totals. The last REROLL_HOURS
 * hours are recomputed every time, so runs written late (a worker that reports after the hour closed)
 * still count; the totals move by the difference, which keeps them exact and idempotent: rolling the
 * same hours twice changes nothing. Work goes in chunks of CHUNK_HOURS, one transaction each, so a first
 * rollup over a large history never holds one huge transaction.
 */
export const REROLL_HOURS = 2;
const CHUNK_HOURS = 6;
const HOUR_MS = 3600_000;
const LOCK_KEYS: Record<RunTable, number> = { RuleRun: 0x726f6c01, ConnectorSyncRun: 0x726f6c02 };

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
  rolledUntil: Date;
}

export async function rollUp(pool: pg.Pool, table: RunTable, now = Date.now()): Promise<RollupResult> {
  const target = Math.floor(now / HOUR_MS) * HOUR_MS; // only closed hours
  let hours = 0;
  for (;;) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEYS[table]]);
      const state = await client.query<{ rolledUntil: Date }>(`SELECT "rolledUntil" FROM "RollupState" WHERE name = $1`, [table]);
      let from: number;
      if (state.rows[0]) {
        from = state.rows[0].rolledUntil.getTime();
        if (hours === 0) from -= REROLL_HOURS * HOUR_MS;
      } else {
        const first = await client.query<{ min: Date | null }>(`SELECT min("startedAt") AS min FROM ${q(table)}`);
        from = first.rows[0].min ? Math.floor(first.rows[0].min.getTime() / HOUR_MS) * HOUR_MS : target;
      }
      const to = Math.min(target, from + CHUNK_HOURS * HOUR_MS);
      if (to > from) await rollRange(client, SPECS[table], table, new Date(from), new Date(to));
      const until = new Date(Math.max(to, state.rows[0]?.rolledUntil.getTime() ?? 0));
      await client.query(
        `INSERT INTO "RollupState" (name, "rolledUntil") VALUES ($1, $2)
         ON CONFLICT (name) DO UPDATE SET "rolledUntil" = excluded."rolledUntil"`,
        [table, until],
      );
      await client.query('COMMIT');
      hours += Math.max(0, (to - from) / HOUR_MS);
      if (to >= target) return { table, hours, rolledUntil: until };
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
  const changed = [...deltas.values()].filter(
    (d) => [...COUNTERS, ...spec.sums].some((c) => d[c] !== 0) || d.lastStartedAt !== null,
  );
  if (!changed.length) return;
  const all = [...COUNTERS, ...spec.sums];
  await client.query(
    `INSERT INTO ${q(spec.total)} AS t SELECT * FROM json_populate_recordset(NULL::${q(spec.total)}, $1)
     ON CONFLICT (${spec.totalKeys.map(q).join(', ')}) DO UPDATE SET
       ${all.map((c) => `${q(c)} = t.${q(c)} + excluded.${q(c)}`).join(', ')},
       "durationBuckets" = (SELECT array_agg(coalesce(a, 0) + coalesce(b, 0) ORDER BY i)
                            FROM unnest(t."durationBuckets", excluded."durationBuckets") WITH ORDINALITY AS u(a, b, i)),
       "lastStartedAt" = greatest(t."lastStartedAt", excluded."lastStartedAt")`,
    [JSON.stringify(changed)],
  );
}
