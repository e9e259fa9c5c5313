import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { PeriodicTask } from '../util/periodic-task';
import { DEMO_FAILURES } from './catalog';

/** The current slot of an interval schedule at $1: slots are multiples of the interval since the epoch (schedules/). */
const CURRENT_SLOT = (intervalSeconds: string) =>
  `to_timestamp(floor(extract(epoch FROM $1::timestamptz) / ${intervalSeconds}) * ${intervalSeconds})`;

/**
 * Plays Aperio's workers for the demo: on every tick it runs the syncs and rule evaluations that are due,
 * delivers findings to SIEM destinations and works the ingestion queue, with the failures of
 * DEMO_FAILURES. Everything goes through plain SQL on the contract tables, as the real workers do.
 */
export class DemoSimulator {
  private readonly task: PeriodicTask;

  constructor(
    private readonly pool: pg.Pool,
    tickSeconds: number,
    private readonly clock: () => number = Date.now,
  ) {
    this.task = new PeriodicTask('demo simulator tick', tickSeconds * 1000, () => this.tick());
  }

  start(): void {
    this.task.start();
  }

  stop(): Promise<void> {
    return this.task.stop();
  }

  async tick(): Promise<void> {
    const now = new Date(this.clock());
    await this.syncConnectors(now);
    await this.runRules(now);
    await this.deliverFindings(now);
    await this.workIngestionQueue(now);
  }

  private async syncConnectors(now: Date): Promise<void> {
    const due = await this.pool.query<{ id: string; organizationId: string; provider: string; lastError: string | null; slot: Date }>(
      `SELECT c.id, c."organizationId", c.provider, c."lastError", ${CURRENT_SLOT('c."syncIntervalSeconds"')} AS slot
       FROM "IntegrationConnection" c
       WHERE c.status = 'ACTIVE' AND c."syncIntervalSeconds" > 0 AND NOT EXISTS (
         SELECT 1 FROM "ConnectorSyncRun" r WHERE r."connectionId" = c.id
           AND r."startedAt" >= ${CURRENT_SLOT('c."syncIntervalSeconds"')} - interval '1 minute'
           AND r."scheduledFor" = ${CURRENT_SLOT('c."syncIntervalSeconds"')})`,
      [now],
    );
    for (const c of due.rows) {
      const failed = c.id === DEMO_FAILURES.staleConnector || Math.random() < 0.03;
      const durationMs = Math.round(500 + Math.random() * 20_000);
      const error = failed ? (c.id === DEMO_FAILURES.staleConnector ? DEMO_FAILURES.staleError : 'upstream returned 503') : null;
      await this.pool.query(
        `INSERT INTO "ConnectorSyncRun" ("organizationId", "connectionId", provider, trigger, "scheduledFor", "startedAt", "finishedAt", "durationMs", status, "recordsIngested", error)
         VALUES ($1, $2, $3, 'SCHEDULE', $9, $4, $4::timestamptz + $5::int * interval '1 millisecond', $5::int, $6, $7, $8)`,
        [
          c.organizationId,
          c.id,
          c.provider,
          now,
          durationMs,
          failed ? 'FAILED' : 'SUCCEEDED',
          failed ? 0 : Math.round(Math.random() * 5000),
          error,
          c.slot,
        ],
      );
      await this.pool.query(
        failed
          ? `UPDATE "IntegrationConnection" SET "lastError" = $2, "lastErrorAt" = $3, "updatedAt" = $3 WHERE id = $1`
          : `UPDATE "IntegrationConnection" SET "lastSyncAt" = $2, "updatedAt" = $2 WHERE id = $1`,
        failed ? [c.id, error, now] : [c.id, now],
      );
    }
  }

  private async runRules(now: Date): Promise<void> {
    const due = await this.pool.query<{ organizationId: string; ruleId: string; key: string; slot: Date }>(
      `SELECT o.id AS "organizationId", r.id AS "ruleId", r.key, ${CURRENT_SLOT('r."scheduleIntervalSeconds"')} AS slot
       FROM "DetectionRule" r JOIN "Organization" o ON r."organizationId" = o.id OR r."organizationId" IS NULL
       WHERE r.enabled AND r."scheduleIntervalSeconds" > 0 AND r.id <> $2 AND NOT EXISTS (
         SELECT 1 FROM "RuleRun" x WHERE x."organizationId" = o.id AND x."ruleId" = r.id
           AND x."startedAt" >= ${CURRENT_SLOT('r."scheduleIntervalSeconds"')} - interval '1 minute'
           AND x."scheduledFor" = ${CURRENT_SLOT('r."scheduleIntervalSeconds"')})`,
      [now, DEMO_FAILURES.missedRule],
    );
    for (const r of due.rows) {
      const slow = r.key === DEMO_FAILURES.slowRule;
      const durationMs = Math.round(slow ? 40_000 + Math.random() * 50_000 : 20 + Math.random() * 3_000);
      const failed = Math.random() < 0.02;
      const findings = failed ? 0 : Math.random() < 0.1 ? 1 + Math.floor(Math.random() * 3) : 0;
      await this.pool.query(
        `INSERT INTO "RuleRun" ("organizationId", "ruleId", trigger, "scheduledFor", "startedAt", "finishedAt", "durationMs", status, "eventsEvaluated", "findingsOpened", error)
         VALUES ($1, $2, 'SCHEDULE', $3, $4, $4::timestamptz + $5::int * interval '1 millisecond', $5::int, $6, $7, $8, $9)`,
        [
          r.organizationId,
          r.ruleId,
          r.slot,
          now,
          durationMs,
          failed ? 'FAILED' : 'SUCCEEDED',
          failed ? 0 : Math.round(Math.random() * 20_000),
          findings,
          failed ? 'query timeout against the events store' : null,
        ],
      );
      for (let i = 0; i < findings; i++) await this.enqueueDeliveries(r.organizationId, now);
    }
  }

  private async enqueueDeliveries(organizationId: string, now: Date): Promise<void> {
    await this.pool.query(
      `INSERT INTO "SiemDelivery" (id, "destinationId", "findingId", status, attempts, "nextAttemptAt", "createdAt", "updatedAt")
       SELECT 'dlv_' || md5(random()::text), d.id, $2, 'PENDING', 0, $3, $3, $3 FROM "SiemDestination" d
       WHERE d."organizationId" = $1 AND d.enabled`,
      [organizationId, `fnd_${randomUUID()}`, now],
    );
  }

  private async deliverFindings(now: Date): Promise<void> {
    const open = await this.pool.query<{ id: string; destinationId: string; attempts: number }>(
      `SELECT id, "destinationId", attempts FROM "SiemDelivery"
       WHERE status IN ('PENDING', 'RETRYING') AND "nextAttemptAt" <= $1 ORDER BY "createdAt" LIMIT 200`,
      [now],
    );
    for (const d of open.rows) {
      const failing = d.destinationId === DEMO_FAILURES.deadLetterDestination;
      const ok = !failing && Math.random() > 0.05;
      const attempts = d.attempts + 1;
      const status = ok ? 'DELIVERED' : attempts >= 5 ? 'DEAD_LETTER' : 'RETRYING';
      const error = ok ? null : failing ? DEMO_FAILURES.deadLetterError : 'connection reset by peer';
      await this.pool.query(
        `UPDATE "SiemDelivery" SET status = $2::text, attempts = $3::int, "lastError" = $4, "updatedAt" = $5,
           "deliveredAt" = CASE WHEN $2::text = 'DELIVERED' THEN $5::timestamptz END,
           "nextAttemptAt" = $5::timestamptz + (10 * power(2, $3::int)) * interval '1 second'
         WHERE id = $1`,
        [d.id, status, attempts, error, now],
      );
      await this.pool.query(
        ok
          ? `UPDATE "SiemDestination" SET "deliveriesOk" = "deliveriesOk" + 1, "lastDeliveryAt" = $2 WHERE id = $1`
          : `UPDATE "SiemDestination" SET "deliveriesFail" = "deliveriesFail" + 1, "lastError" = $3, "lastErrorAt" = $2 WHERE id = $1`,
        ok ? [d.destinationId, now] : [d.destinationId, now, error],
      );
    }
  }

  private async workIngestionQueue(now: Date): Promise<void> {
    const minuteOfCycle = Math.floor(now.getTime() / 60_000) % 10;
    const backingUp = minuteOfCycle < 4; // four minutes of every ten the backlog tenant's workers stall
    const tenants = await this.pool.query<{ id: string; slug: string }>(`SELECT id, slug FROM "Organization" WHERE id LIKE 'org_%'`);
    for (const t of tenants.rows) {
      const backlog = t.slug === DEMO_FAILURES.backlogTenant;
      const newJobs = backlog && backingUp ? 15 : 2;
      await this.pool.query(
        `INSERT INTO "IngestionJob" (id, "organizationId", "connectionId", kind, status, attempts, "createdAt")
         SELECT 'job_' || md5(random()::text), $1, c.id, (ARRAY['events', 'assets', 'identities'])[1 + (random() * 2)::int], 'QUEUED', 0, $2
         FROM "IntegrationConnection" c WHERE c."organizationId" = $1 ORDER BY random() LIMIT $3`,
        [t.id, now, newJobs],
      );
      if (backlog && backingUp) continue;
      // Finish what was running (a few fail and go round again; after maxAttempts they are dead), start the next ones.
      await this.pool.query(
        `UPDATE "IngestionJob" SET
           status = CASE WHEN random() < 0.05 THEN (CASE WHEN attempts >= "maxAttempts" THEN 'DEAD' ELSE 'QUEUED' END) ELSE 'SUCCEEDED' END,
           "finishedAt" = $2, "lastError" = NULL
         WHERE "organizationId" = $1 AND status = 'RUNNING'`,
        [t.id, now],
      );
      await this.pool.query(
        `UPDATE "IngestionJob" SET status = 'RUNNING', attempts = attempts + 1, "startedAt" = $2
         WHERE id IN (SELECT id FROM "IngestionJob" WHERE "organizationId" = $1 AND status = 'QUEUED' ORDER BY "createdAt" LIMIT $3)`,
        [t.id, now, backlog ? 40 : 10],
      );
    }
  }
}
