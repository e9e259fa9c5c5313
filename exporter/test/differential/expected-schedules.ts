import type pg from 'pg';
import { NOW } from './clock';
import { flatten, type Value } from './compare';

/**
 * Schedules as docs/metrics.md ("Schedules: did the job run?") and docs/api.md define them.
 * - Jobs: enabled rules with a cron or an interval > 0 (the cron wins), once per tenant they apply to;
 *   ACTIVE connections with an interval > 0.
 * - Slots: a fixed grid. Interval slots are multiples of the interval since the epoch; the only cron in
 *   the database, `0 * * * *` in UTC, is every whole hour: the same grid with a period of 3600 s.
 * - Only SCHEDULE runs serve, whatever their outcome. A run sits at its scheduledFor, or its startedAt
 *   when that is null, and serves the one slot nearest to it (a tie half-way goes to the later slot).
 *   A slot's run is the serving run nearest to it.
 * - Grace: half the period (for a cron, the gap to the next slot), at least 60 s. A slot nobody served is
 *   missed once its grace has passed, pending before. A job is missed while its latest due slot (the
 *   newest whose grace has passed) was not served; a job that never ran is missed.
 */
export const CRON_PERIOD_SECONDS: Record<string, number> = { '0 * * * *': 3600 };

export interface ScheduledJob {
  kind: 'rule' | 'connector';
  org: string;
  tenant: string;
  id: string;
  key: string | null;
  name: string;
  provider: string | null;
  interval: number | null;
  cron: string | null;
  periodSeconds: number;
  graceSeconds: number;
}

export async function scheduledJobs(pool: pg.Pool): Promise<ScheduledJob[]> {
  const { rows } = await pool.query(
    `SELECT 'rule' AS kind, o.id AS org, o.slug AS tenant, d.id, d.key, d.name, NULL AS provider, d."scheduleIntervalSeconds" AS interval, d."scheduleCron" AS cron
       FROM "DetectionRule" d JOIN "Organization" o ON o.id = d."organizationId" OR d."organizationId" IS NULL
      WHERE d.enabled AND (d."scheduleCron" IS NOT NULL OR d."scheduleIntervalSeconds" > 0)
     UNION ALL
     SELECT 'connector', o.id, o.slug, c.id, NULL, c.name, c.provider, c."syncIntervalSeconds", NULL
       FROM "IntegrationConnection" c JOIN "Organization" o ON o.id = c."organizationId"
      WHERE c.status = 'ACTIVE' AND c."syncIntervalSeconds" > 0
      ORDER BY 1, 3, 4`,
  );
  return rows.map((job) => {
    const periodSeconds: number = job.cron ? CRON_PERIOD_SECONDS[job.cron] : job.interval;
    return { ...job, periodSeconds, graceSeconds: Math.max(60, periodSeconds / 2) };
  });
}

/** The SCHEDULE runs of a job with the slot each serves (epoch seconds): $1 job id, $2 kind, $3 tenant, $4 period. */
const SERVING_RUNS = `
  SELECT r.*, floor((extract(epoch FROM coalesce(r."scheduledFor", r."startedAt")) + $4 / 2.0) / $4) * $4 AS slot,
         abs(extract(epoch FROM coalesce(r."scheduledFor", r."startedAt")) - floor((extract(epoch FROM coalesce(r."scheduledFor", r."startedAt")) + $4 / 2.0) / $4) * $4) AS distance
    FROM (SELECT id, status, trigger, "scheduledFor", "startedAt", "finishedAt", "durationMs" FROM "RuleRun"
           WHERE $2 = 'rule' AND "ruleId" = $1 AND "organizationId" = $3 AND trigger = 'SCHEDULE'
          UNION ALL
          SELECT id, status, trigger, "scheduledFor", "startedAt", "finishedAt", "durationMs" FROM "ConnectorSyncRun"
           WHERE $2 = 'connector' AND "connectionId" = $1 AND trigger = 'SCHEDULE') r`;

/** Whether each job's latest due slot was served: the missed-run metric and the status page's Scheduled runs. */
export interface DueSlot {
  tenant: string;
  org: string;
  kind: string;
  /** The latest slot whose grace has passed, epoch milliseconds. */
  dueAt: number;
  missed: boolean;
}

export async function latestDueSlots(pool: pg.Pool, jobs: ScheduledJob[]): Promise<DueSlot[]> {
  const out: DueSlot[] = [];
  for (const job of jobs) {
    const due = Math.floor((NOW / 1000 - job.graceSeconds) / job.periodSeconds) * job.periodSeconds;
    const { rows } = await pool.query(`SELECT count(*) AS n FROM (${SERVING_RUNS}) s WHERE s.slot = $5`, [
      job.id,
      job.kind,
      job.org,
      job.periodSeconds,
      due,
    ]);
    out.push({ tenant: job.tenant, org: job.org, kind: job.kind, dueAt: due * 1000, missed: Number(rows[0].n) === 0 });
  }
  return out;
}

const RUN_FIELDS = ['id', 'status', 'trigger', 'scheduledFor', 'startedAt', 'finishedAt', 'durationMs'];
const iso = (v: unknown) => (v === null ? null : new Date(Number(v)).toISOString());

export async function expectedSchedules(pool: pg.Pool, jobs: ScheduledJob[], from: Date, to: Date): Promise<Map<string, Value>> {
  const out = new Map<string, Value>();
  for (const job of jobs) {
    // Slots in [from, to), and for each the serving run nearest to it.
    const { rows: slots } = await pool.query(
      `WITH slots AS (
         SELECT s AS at FROM generate_series(ceil(extract(epoch FROM $5::timestamptz) / $4) * $4, extract(epoch FROM $6::timestamptz) - 0.001, $4::numeric) s),
       served AS (SELECT DISTINCT ON (slot) * FROM (${SERVING_RUNS}) r ORDER BY slot, distance, "startedAt", id)
       SELECT s.at * 1000 AS "atMs", x.id::text AS "runId", x.status, x.trigger,
              extract(epoch FROM x."scheduledFor") * 1000 AS "scheduledFor", extract(epoch FROM x."startedAt") * 1000 AS "startedAt",
              extract(epoch FROM x."finishedAt") * 1000 AS "finishedAt", x."durationMs"
         FROM slots s LEFT JOIN served x ON x.slot = s.at ORDER BY s.at`,
      [job.id, job.kind, job.org, job.periodSeconds, from, to],
    );
    const counts = { ran: 0, missed: 0, pending: 0 };
    const slotViews = slots.map((s) => {
      const at = Number(s.atMs);
      const state = s.runId !== null ? 'ran' : NOW - at >= job.graceSeconds * 1000 ? 'missed' : 'pending';
      counts[state] += 1;
      const run =
        s.runId === null
          ? null
          : {
              id: s.runId,
              status: s.status,
              trigger: s.trigger,
              scheduledFor: iso(s.scheduledFor),
              startedAt: iso(s.startedAt),
              finishedAt: iso(s.finishedAt),
              durationMs: s.durationMs,
            };
      return { at: new Date(at).toISOString(), state, run };
    });
    const item = {
      kind: job.kind,
      tenant: job.tenant,
      id: job.id,
      key: job.key,
      name: job.name,
      provider: job.provider,
      schedule: job.cron
        ? { cron: job.cron, timezone: 'UTC', intervalSeconds: null }
        : { cron: null, timezone: null, intervalSeconds: job.interval },
      graceSeconds: job.graceSeconds,
      error: null,
      counts,
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
  // A slot's run is compared whole (its fields in one value), so a run served to the wrong slot is one
  // line per slot rather than one per field.
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
