import type pg from 'pg';
import { NOW } from './clock';
import { flatten, type Value } from './compare';

/**
 * GET /api/v1/schedules as docs/api.md defines it. Interval slots are multiples of the interval since
 * the epoch; the only cron in the database, `0 * * * *` in UTC, is every whole hour, so it is a period
 * of 3600 s aligned the same way. A rule run serves the slot in its scheduledFor; a run without one,
 * and every connector sync, serves the slot it started in, or the next one when it started up to a
 * minute early. The first run (by startedAt, then id) serves a slot. A slot without a run is missed
 * once its grace, max(60 s, period / 2), has passed, pending before.
 */
export const CRON_PERIOD_SECONDS: Record<string, number> = { '0 * * * *': 3600 };
const EARLY_SECONDS = 60;

const RUN_FIELDS = ['id', 'status', 'trigger', 'scheduledFor', 'startedAt', 'finishedAt', 'durationMs'];
const iso = (v: unknown) => (v === null ? null : new Date(Number(v)).toISOString());

export async function expectedSchedules(pool: pg.Pool, from: Date, to: Date): Promise<Map<string, Value>> {
  const { rows: jobs } = await pool.query(
    `SELECT 'rule' AS kind, o.id AS org, o.slug AS tenant, d.id, d.key, d.name, NULL AS provider, d."scheduleIntervalSeconds" AS interval, d."scheduleCron" AS cron
       FROM "DetectionRule" d JOIN "Organization" o ON o.id = d."organizationId" OR d."organizationId" IS NULL
      WHERE d.enabled AND (d."scheduleCron" IS NOT NULL OR d."scheduleIntervalSeconds" > 0)
     UNION ALL
     SELECT 'connector', o.id, o.slug, c.id, NULL, c.name, c.provider, c."syncIntervalSeconds", NULL
       FROM "IntegrationConnection" c JOIN "Organization" o ON o.id = c."organizationId"
      WHERE c.status = 'ACTIVE' AND c."syncIntervalSeconds" > 0`,
  );
  const out = new Map<string, Value>();
  for (const job of jobs) {
    const period: number = job.cron ? CRON_PERIOD_SECONDS[job.cron] : job.interval;
    const graceSeconds = Math.max(60, period / 2);
    // Slots in [from, to), and for each the first run that serves it.
    const { rows: slots } = await pool.query(
      `WITH slots AS (
         SELECT s AS at FROM generate_series(ceil(extract(epoch FROM $1::timestamptz) / $3) * $3, extract(epoch FROM $2::timestamptz) - 0.001, $3::numeric) s),
       runs AS (
         SELECT r.id, r.status, r.trigger, r."scheduledFor", r."startedAt", r."finishedAt", r."durationMs",
                CASE WHEN $5 = 'rule' AND r."scheduledFor" IS NOT NULL THEN extract(epoch FROM r."scheduledFor")
                     ELSE floor((extract(epoch FROM r."startedAt") + $6) / $3) * $3 END AS slot
           FROM (SELECT id, status, trigger, "scheduledFor", "startedAt", "finishedAt", "durationMs" FROM "RuleRun" WHERE $5 = 'rule' AND "organizationId" = $7 AND "ruleId" = $4
                 UNION ALL
                 SELECT id, status, trigger, "scheduledFor", "startedAt", "finishedAt", "durationMs" FROM "ConnectorSyncRun" WHERE $5 = 'connector' AND "connectionId" = $4) r),
       served AS (SELECT DISTINCT ON (slot) * FROM runs ORDER BY slot, "startedAt", id)
       SELECT s.at * 1000 AS "atMs", x.id::text AS "runId", x.status, x.trigger,
              extract(epoch FROM x."scheduledFor") * 1000 AS "scheduledFor", extract(epoch FROM x."startedAt") * 1000 AS "startedAt",
              extract(epoch FROM x."finishedAt") * 1000 AS "finishedAt", x."durationMs"
         FROM slots s LEFT JOIN served x ON x.slot = s.at ORDER BY s.at`,
      [from, to, period, job.id, job.kind, EARLY_SECONDS, job.org],
    );
    const counts = { ran: 0, missed: 0, pending: 0 };
    const slotViews = slots.map((s) => {
      const at = Number(s.atMs);
      const state = s.runId !== null ? 'ran' : NOW - at >= graceSeconds * 1000 ? 'missed' : 'pending';
      counts[state] += 1;
      const run = s.runId === null ? null : {
        id: s.runId, status: s.status, trigger: s.trigger, scheduledFor: iso(s.scheduledFor), startedAt: iso(s.startedAt), finishedAt: iso(s.finishedAt), durationMs: s.durationMs,
      };
      return { at: new Date(at).toISOString(), state, run };
    });
    const item = {
      kind: job.kind, tenant: job.tenant, id: job.id, key: job.key, name: job.name, provider: job.provider,
      schedule: job.cron ? { cron: job.cron, timezone: 'UTC', intervalSeconds: null } : { cron: null, timezone: null, intervalSeconds: job.interval },
      graceSeconds, error: null, counts,
    };
    addItem(out, item, slotViews);
  }
  return out;
}

/** An item's fields keyed by kind, tenant and id; its slots keyed by their time, so one missing slot is one difference. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function addItem(out: Map<string, Value>, item: Record<string, unknown>, slots: any[]): void {
  const prefix = `schedules{${item.kind},${item.tenant},${item.id}}`;
  flatten(prefix, item, out);
  // A slot's run is compared whole (all its fields in one value), so a run served to the wrong slot is
  // one line per slot rather than one per field.
  for (const slot of slots) {
    out.set(`${prefix}.slot[${slot.at}].state`, slot.state);
    out.set(`${prefix}.slot[${slot.at}].run`, slot.run === null ? null : RUN_FIELDS.map((f) => `${f}=${slot.run[f]}`).join(' '));
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function actualSchedules(body: any): Map<string, Value> {
  const out = new Map<string, Value>();
  for (const { slots, ...item } of body.data) addItem(out, item, slots);
  return out;
}
