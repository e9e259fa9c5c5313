import type pg from 'pg';
import { PRUNED } from './clock';
import { seriesKey, type Value } from './compare';
import { formatLe } from './expected-connectors';

/**
 * Rule figures from docs/metrics.md and docs/schema.md: one series per tenant and rule that should run
 * (an enabled rule; a built-in one, organizationId null, for every tenant) or has run; every run
 * recorded in RuleRun counts, FAILED and TIMED_OUT as failures, SKIPPED as a run only.
 */
export interface RuleFacts {
  tenant: string;
  orgId: string;
  ruleId: string;
  key: string;
  enabled: boolean;
  intervalSeconds: number | null;
  runs: number;
  failures: number;
  events: number;
  findings: number;
  lastRunAtMs: number | null;
}

export async function ruleFacts(pool: pg.Pool): Promise<RuleFacts[]> {
  const { rows } = await pool.query(
    `WITH pairs AS (
       SELECT o.id AS org, r.id AS rule FROM "DetectionRule" r
         JOIN "Organization" o ON o.id = r."organizationId" OR r."organizationId" IS NULL
        WHERE r.enabled
       UNION
       SELECT DISTINCT "organizationId", "ruleId" FROM "RuleRun")
     SELECT o.slug AS tenant, o.id AS "orgId", d.id AS "ruleId", d.key, d.enabled, d."scheduleIntervalSeconds" AS "intervalSeconds",
            count(x.id) AS runs, count(x.id) FILTER (WHERE x.status IN ('FAILED', 'TIMED_OUT')) AS failures,
            coalesce(sum(x."eventsEvaluated"), 0) AS events, coalesce(sum(x."findingsOpened"), 0) AS findings,
            extract(epoch FROM max(x."startedAt")) * 1000 AS "lastRunAtMs"
       FROM pairs p JOIN "Organization" o ON o.id = p.org JOIN "DetectionRule" d ON d.id = p.rule
       LEFT JOIN "RuleRun" x ON x."organizationId" = p.org AND x."ruleId" = p.rule
      GROUP BY o.slug, o.id, d.id
      ORDER BY o.slug, d.key`,
  );
  return rows.map((r) => {
    const pruned = r.orgId === `org_${PRUNED.rule.tenant}` && r.ruleId === PRUNED.rule.ruleId ? PRUNED.rule : null;
    return {
      tenant: r.tenant,
      orgId: r.orgId,
      ruleId: r.ruleId,
      key: r.key,
      enabled: r.enabled,
      intervalSeconds: r.intervalSeconds,
      runs: Number(r.runs) + (pruned?.runs ?? 0),
      failures: Number(r.failures) + (pruned?.failures ?? 0),
      events: Number(r.events) + (pruned?.eventsEvaluated ?? 0),
      findings: Number(r.findings) + (pruned?.findingsOpened ?? 0),
      lastRunAtMs: r.lastRunAtMs === null ? null : Number(r.lastRunAtMs),
    };
  });
}

export async function expectedRuleSeries(pool: pg.Pool, facts: RuleFacts[], les: number[]): Promise<Map<string, Value>> {
  const out = new Map<string, Value>();
  for (const r of facts) {
    const labels = { tenant: r.tenant, rule: r.key };
    out.set(seriesKey('aperio_rule_runs_total', labels), r.runs);
    out.set(seriesKey('aperio_rule_run_failures_total', labels), r.failures);
    out.set(seriesKey('aperio_rule_events_evaluated_total', labels), r.events);
    out.set(seriesKey('aperio_rule_findings_opened_total', labels), r.findings);
    if (r.lastRunAtMs !== null) out.set(seriesKey('aperio_rule_last_run_timestamp_seconds', labels), r.lastRunAtMs / 1000);
  }
  // By rule key across tenants; the observations are runs with a duration.
  const keys = [...new Set(facts.map((r) => r.key))];
  const { rows } = await pool.query(
    `SELECT k.key, le, count(x."durationMs") FILTER (WHERE x."durationMs" <= le * 1000) AS below,
            count(x."durationMs") AS count, coalesce(sum(x."durationMs"), 0) AS "sumMs"
       FROM unnest($1::text[]) AS k(key) CROSS JOIN unnest($2::float8[]) AS le
       LEFT JOIN "RuleRun" x ON x."ruleId" IN (SELECT id FROM "DetectionRule" WHERE key = k.key)
      GROUP BY k.key, le`,
    [keys, les],
  );
  const prunedKey = facts.find((r) => r.ruleId === PRUNED.rule.ruleId)!.key;
  const p = PRUNED.rule;
  for (const r of rows) {
    const pruned = r.key === prunedKey;
    const name = 'aperio_rule_run_duration_seconds';
    const count = Number(r.count) + (pruned ? p.runs : 0);
    out.set(
      seriesKey(`${name}_bucket`, { rule: r.key, le: formatLe(r.le) }),
      Number(r.below) + (pruned && p.durationMs <= r.le * 1000 ? p.runs : 0),
    );
    out.set(seriesKey(`${name}_bucket`, { rule: r.key, le: '+Inf' }), count);
    out.set(seriesKey(`${name}_count`, { rule: r.key }), count);
    out.set(seriesKey(`${name}_sum`, { rule: r.key }), (Number(r.sumMs) + (pruned ? p.runs * p.durationMs : 0)) / 1000);
  }
  return out;
}

/**
 * docs/metrics.md: a tenant's missed jobs of each kind, where a job is missed while its latest due slot
 * was not served (expected-schedules.ts); a tenant with scheduled jobs of a kind and no miss has a 0 series.
 */
export function expectedMissedSeries(jobs: { tenant: string; kind: string; missed: boolean }[]): Map<string, Value> {
  const out = new Map<string, Value>();
  for (const job of jobs) {
    const key = seriesKey('aperio_scheduled_run_missed', { tenant: job.tenant, kind: job.kind });
    out.set(key, Number(out.get(key) ?? 0) + (job.missed ? 1 : 0));
  }
  return out;
}
