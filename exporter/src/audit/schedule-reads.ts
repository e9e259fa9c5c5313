import type pg from 'pg';
import { optionalColumnSql } from '../db/contract';
import { ACTIVE_CONNECTOR } from '../connectors/connection-status';
import { servingRunSql } from '../schedules/runs';

/** A scheduled job as the API lists it: the same jobs as schedules/jobs.ts picks from the snapshot. */
export interface JobRow {
  kind: 'rule' | 'connector';
  tenantId: string;
  tenant: string;
  id: string;
  key: string | null;
  name: string;
  provider: string | null;
  intervalSeconds: number | null;
  cron: string | null;
}

export interface RunRow {
  id: string;
  jobKey: string;
  trigger: string;
  scheduledFor: Date | null;
  startedAt: Date;
  finishedAt: Date | null;
  durationMs: number | null;
  status: string;
}

export const jobKey = (kind: string, tenantId: string, id: string) => `${kind}|${tenantId}|${id}`;

export interface JobFilter {
  tenantId: string | null;
  rule: string | null;
  connector: string | null;
}

/** The jobs a request asks for: rules, then connectors, each in the order the API lists them. */
export async function readJobs(
  pool: pg.Pool,
  request: { filter: JobFilter; wantRules: boolean; wantConnectors: boolean },
): Promise<JobRow[]> {
  return [
    ...(request.wantRules ? await readRuleJobs(pool, request.filter) : []),
    ...(request.wantConnectors ? await readConnectorJobs(pool, request.filter) : []),
  ];
}

export async function readRuleJobs(pool: pg.Pool, filter: JobFilter): Promise<JobRow[]> {
  const { rows } = await pool.query<JobRow>(
    `SELECT 'rule' AS kind, o.id::text AS "tenantId", o.slug AS tenant, d.id::text AS id, d.key, d.name, NULL AS provider,
            d."scheduleIntervalSeconds" AS "intervalSeconds", ${optionalColumnSql('d', 'scheduleCron')} AS cron
       FROM "DetectionRule" d
       JOIN "Organization" o ON o.id = d."organizationId" OR d."organizationId" IS NULL
      WHERE d.enabled AND (${optionalColumnSql('d', 'scheduleCron')} IS NOT NULL OR d."scheduleIntervalSeconds" > 0)
        AND ($1::text IS NULL OR o.id::text = $1) AND ($2::text IS NULL OR d.id::text = $2 OR d.key = $2)
      ORDER BY o.slug, d.key, d.id`,
    [filter.tenantId, filter.rule],
  );
  return rows;
}

export async function readConnectorJobs(pool: pg.Pool, filter: JobFilter): Promise<JobRow[]> {
  const { rows } = await pool.query<JobRow>(
    `SELECT 'connector' AS kind, o.id::text AS "tenantId", o.slug AS tenant, c.id::text AS id, NULL AS key, c.name, c.provider,
            c."syncIntervalSeconds" AS "intervalSeconds", NULL AS cron
       FROM "IntegrationConnection" c JOIN "Organization" o ON o.id = c."organizationId"
      WHERE c.status = $1 AND c."syncIntervalSeconds" > 0
        AND ($2::text IS NULL OR o.id::text = $2) AND ($3::text IS NULL OR c.id::text = $3)
      ORDER BY o.slug, c.provider, c.id`,
    [ACTIVE_CONNECTOR, filter.tenantId, filter.connector],
  );
  return rows;
}

const COLUMNS = `r.id::text AS id, r.trigger, r."scheduledFor", r."startedAt", r."finishedAt", r."durationMs", r.status`;

/**
 * The serving runs (schedules/runs.ts) of the jobs that started in [since, until): one indexed range
 * read per table, on ("organizationId", "ruleId", "startedAt") and ("connectionId", "startedAt"). The id
 * arrays take the columns' own type (text, uuid or integer ids), so the indexes serve them.
 */
export async function readServingRuns(pool: pg.Pool, jobs: readonly JobRow[], since: Date, until: Date): Promise<RunRow[]> {
  const rules = jobs.filter((j) => j.kind === 'rule');
  const connectors = jobs.filter((j) => j.kind === 'connector');
  const runs: RunRow[] = [];
  if (rules.length) {
    const { rows } = await pool.query<RunRow>(
      `SELECT ${COLUMNS}, 'rule|' || r."organizationId" || '|' || r."ruleId" AS "jobKey" FROM "RuleRun" r
        WHERE r."organizationId" = ANY($1) AND r."ruleId" = ANY($2) AND ${servingRunSql('r')}
          AND r."startedAt" >= $3 AND r."startedAt" < $4
        ORDER BY r."startedAt", r.id`,
      [[...new Set(rules.map((j) => j.tenantId))], [...new Set(rules.map((j) => j.id))], since, until],
    );
    runs.push(...rows);
  }
  if (connectors.length) {
    const { rows } = await pool.query<RunRow>(
      `SELECT ${COLUMNS}, 'connector|' || r."organizationId" || '|' || r."connectionId" AS "jobKey" FROM "ConnectorSyncRun" r
        WHERE r."connectionId" = ANY($1) AND ${servingRunSql('r')} AND r."startedAt" >= $2 AND r."startedAt" < $3
        ORDER BY r."startedAt", r.id`,
      [connectors.map((j) => j.id), since, until],
    );
    runs.push(...rows);
  }
  return runs;
}

/** A run may start this long after the slot it names (scheduledFor) and still be found for it. */
const LATE_START_ALLOWANCE_MS = 24 * 3600_000;
/** ...or this long before the first slot's catchment (clock skew). */
const EARLY_START_ALLOWANCE_MS = 3600_000;

/**
 * The serving runs that can serve the jobs' slots, by jobKey: one read spanning every job's reach (the
 * reference times its window's slots can be served by), widened by the start allowances.
 */
export async function readRunsByJob(
  pool: pg.Pool,
  jobs: readonly JobRow[],
  reaches: ReadonlyArray<{ from: number; to: number }>,
): Promise<Map<string, RunRow[]>> {
  const runsOf = new Map<string, RunRow[]>();
  if (!reaches.length) return runsOf;
  const since = new Date(Math.min(...reaches.map((r) => r.from)) - EARLY_START_ALLOWANCE_MS);
  const until = new Date(Math.max(...reaches.map((r) => r.to)) + LATE_START_ALLOWANCE_MS);
  for (const run of await readServingRuns(pool, jobs, since, until)) {
    const list = runsOf.get(run.jobKey) ?? [];
    list.push(run);
    runsOf.set(run.jobKey, list);
  }
  return runsOf;
}
