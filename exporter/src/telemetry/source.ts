import type pg from 'pg';

/** One row of RuleRun or ConnectorSyncRun, as the span needs it. Times in microseconds since the epoch. */
export interface RunRow {
  id: number;
  organizationId: string;
  subjectId: string;
  /** The rule's key (rule runs, when the rule still exists) or the connector's provider. */
  label: string | null;
  provider: string | null;
  trigger: string;
  scheduledFor: Date | null;
  startedUs: number;
  finishedUs: number | null;
  durationMs: number | null;
  status: string;
  eventsEvaluated: number | null;
  findingsOpened: number | null;
  recordsIngested: number | null;
  error: string | null;
  traceId: string | null;
}

export type RunTable = 'RuleRun' | 'ConnectorSyncRun';
export const RUN_TABLES: readonly RunTable[] = ['RuleRun', 'ConnectorSyncRun'];

// PostgreSQL keeps microseconds; a JavaScript Date only milliseconds. The epoch in microseconds as a
// bigint (exact in a JavaScript number until the year 2255) keeps the span times exact.
const MICROS = (column: string) => `(extract(epoch FROM ${column}) * 1000000)::bigint`;

const QUERIES: Record<RunTable, string> = {
  RuleRun: `SELECT r.id, r."organizationId", r."ruleId" AS "subjectId", d.key AS label, NULL AS provider, r.trigger,
      r."scheduledFor", ${MICROS('r."startedAt"')} AS "startedUs", ${MICROS('r."finishedAt"')} AS "finishedUs",
      r."durationMs", r.status, r."eventsEvaluated", r."findingsOpened", NULL::bigint AS "recordsIngested", r.error, r."traceId"
    FROM "RuleRun" r LEFT JOIN "DetectionRule" d ON d.id = r."ruleId"
    WHERE r.id > $1 ORDER BY r.id LIMIT $2`,
  ConnectorSyncRun: `SELECT s.id, s."organizationId", s."connectionId" AS "subjectId", s.provider AS label, s.provider, s.trigger,
      s."scheduledFor", ${MICROS('s."startedAt"')} AS "startedUs", ${MICROS('s."finishedAt"')} AS "finishedUs",
      s."durationMs", s.status, NULL::bigint AS "eventsEvaluated", NULL::int AS "findingsOpened", s."recordsIngested", s.error, s."traceId"
    FROM "ConnectorSyncRun" s
    WHERE s.id > $1 ORDER BY s.id LIMIT $2`,
};

export async function readRuns(client: pg.ClientBase, table: RunTable, afterId: number, limit: number): Promise<RunRow[]> {
  const { rows } = await client.query<RunRow>(QUERIES[table], [afterId, limit]);
  return rows.map((row) => ({
    ...row,
    id: Number(row.id),
    startedUs: Number(row.startedUs),
    finishedUs: row.finishedUs === null ? null : Number(row.finishedUs),
  }));
}

/** The saved position; on first use the tail starts at the table's current end (no backfill of history). */
export async function loadPosition(client: pg.ClientBase, table: RunTable): Promise<number> {
  await client.query(
    `INSERT INTO "TelemetryTail" (name, "lastId") SELECT $1, COALESCE(max(id), 0) FROM "${table}" ON CONFLICT (name) DO NOTHING`,
    [table],
  );
  const { rows } = await client.query<{ lastId: string | number }>(`SELECT "lastId" FROM "TelemetryTail" WHERE name = $1`, [table]);
  return Number(rows[0].lastId);
}

export async function savePosition(client: pg.ClientBase, table: RunTable, lastId: number): Promise<void> {
  await client.query(`UPDATE "TelemetryTail" SET "lastId" = $2, "updatedAt" = now() WHERE name = $1`, [table, lastId]);
}
