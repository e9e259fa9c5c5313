import type pg from 'pg';
import { connectionId, DEMO_BUILT_IN_RULES, DEMO_DESTINATIONS, DEMO_FAILURES, DEMO_PROVIDERS, DEMO_TENANTS, orgId } from './catalog';

const HISTORY_HOURS = 24;

/**
 * Seeds the demo tenants and a day of history, once: a database that already has the demo tenants is
 * left as it is (the simulator carries on from where it was).
 */
export async function seedDemo(pool: pg.Pool, now = Date.now()): Promise<boolean> {
  const existing = await pool.query(`SELECT 1 FROM "Organization" WHERE id = $1`, [orgId(DEMO_TENANTS[0].slug)]);
  if (existing.rowCount) return false;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT aperio_ensure_daily_partitions('RuleRun', ($1::timestamptz)::date - 2, ($1::timestamptz)::date + 7)`, [
      new Date(now),
    ]);
    await client.query(
      `SELECT aperio_ensure_daily_partitions('ConnectorSyncRun', ($1::timestamptz)::date - 2, ($1::timestamptz)::date + 7)`,
      [new Date(now)],
    );
    for (const t of DEMO_TENANTS) {
      await client.query(`INSERT INTO "Organization" (id, name, slug, "dataRetentionDays", "createdAt") VALUES ($1, $2, $3, $4, $5)`, [
        orgId(t.slug),
        t.name,
        t.slug,
        t.retentionDays,
        new Date(now - 90 * 86400_000),
      ]);
      for (const [i, provider] of DEMO_PROVIDERS.entries()) {
        const id = connectionId(t.slug, provider);
        const interval = [120, 180, 300, 240, 600, 120, 300][i];
        const stale = id === DEMO_FAILURES.staleConnector;
        await client.query(
          `INSERT INTO "IntegrationConnection" (id, "organizationId", provider, name, status, "lastSyncAt", "lastError", "lastErrorAt", "syncIntervalSeconds", "createdAt")
           VALUES ($1, $2, $3, $4, 'ACTIVE', $5, $6, $7, $8, $9)`,
          [
            id,
            orgId(t.slug),
            provider,
            `${t.name} ${provider}`,
            new Date(now - (stale ? 5.5 * 3600_000 : 60_000)),
            stale ? DEMO_FAILURES.staleError : null,
            stale ? new Date(now - 60_000) : null,
            interval,
            new Date(now - 90 * 86400_000),
          ],
        );
      }
      await client.query(
        `INSERT INTO "DetectionRule" (id, "organizationId", key, name, severity, enabled, "scheduleIntervalSeconds", "scheduleCron")
         VALUES ($1, $2, $3, $4, 'MEDIUM', true, $5, $6)`,
        t.slug === 'initech'
          ? [DEMO_FAILURES.missedRule, orgId(t.slug), 'initech.hourly_access_review', 'Hourly privileged access review', 3600, '0 * * * *']
          : [`rule_${t.slug}_custom`, orgId(t.slug), `${t.slug}.custom_watchlist`, `${t.name} watchlist`, 600, null],
      );
    }
    for (const r of DEMO_BUILT_IN_RULES) {
      await client.query(
        `INSERT INTO "DetectionRule" (id, "organizationId", key, name, severity, enabled, "scheduleIntervalSeconds")
         VALUES ($1, NULL, $2, $3, $4, true, $5)`,
        [`rule_${r.key}`, r.key, r.name, r.severity, r.intervalSeconds],
      );
    }
    for (const d of DEMO_DESTINATIONS) {
      const id = `dest_${d.tenant}_${d.kind.toLowerCase()}`;
      const failing = id === DEMO_FAILURES.deadLetterDestination;
      await client.query(
        `INSERT INTO "SiemDestination" (id, "organizationId", name, kind, enabled, "deliveriesOk", "deliveriesFail", "lastDeliveryAt", "lastError", "lastErrorAt")
         VALUES ($1, $2, $3, $4, true, $5, $6, $7, $8, $9)`,
        [
          id,
          orgId(d.tenant),
          d.name,
          d.kind,
          5000 + d.name.length * 97,
          failing ? 800 : 12,
          new Date(now - (failing ? 3 * 3600_000 : 30_000)),
          failing ? DEMO_FAILURES.deadLetterError : null,
          failing ? new Date(now - 30_000) : null,
        ],
      );
    }
    await seedHistory(client, now);
    await client.query('COMMIT');
    return true;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** The first slot at or after $1 of an interval schedule: slots are multiples of the interval since the epoch (schedules/). */
const ALIGNED_FROM = (intervalSeconds: string) =>
  `to_timestamp(ceil(extract(epoch FROM $1::timestamptz) / ${intervalSeconds}) * ${intervalSeconds})`;

/** A day of runs, generated in SQL: one per schedule slot, with the failures of DEMO_FAILURES. */
async function seedHistory(client: pg.PoolClient, now: number): Promise<void> {
  const from = new Date(now - HISTORY_HOURS * 3600_000);
  await client.query(
    `INSERT INTO "ConnectorSyncRun" ("organizationId", "connectionId", provider, trigger, "scheduledFor", "startedAt", "finishedAt", "durationMs", status, "recordsIngested", error)
     SELECT c."organizationId", c.id, c.provider, 'SCHEDULE', slot, slot + interval '2 seconds',
            slot + interval '2 seconds' + d * interval '1 millisecond', d,
            CASE WHEN failed THEN 'FAILED' ELSE 'SUCCEEDED' END,
            CASE WHEN failed THEN 0 ELSE (random() * 5000)::int END,
            CASE WHEN failed THEN coalesce(c."lastError", 'upstream returned 503') END
     FROM "IntegrationConnection" c,
          generate_series(${ALIGNED_FROM('c."syncIntervalSeconds"')}, $2::timestamptz, c."syncIntervalSeconds" * interval '1 second') AS slot,
          LATERAL (SELECT (500 + random() * 20000)::int AS d,
                          (c.id = $3 AND slot > $2::timestamptz - interval '5.5 hours') OR random() < 0.03 AS failed) x`,
    [from, new Date(now - 60_000), DEMO_FAILURES.staleConnector],
  );
  await client.query(
    `INSERT INTO "RuleRun" ("organizationId", "ruleId", trigger, "scheduledFor", "startedAt", "finishedAt", "durationMs", status, "eventsEvaluated", "findingsOpened", error)
     SELECT o.id, r.id, 'SCHEDULE', slot, slot + interval '1 second', slot + interval '1 second' + d * interval '1 millisecond', d,
            CASE WHEN failed THEN 'FAILED' ELSE 'SUCCEEDED' END,
            CASE WHEN failed THEN 0 ELSE (random() * 20000)::int END,
            CASE WHEN failed THEN 0 WHEN random() < 0.05 THEN 1 ELSE 0 END,
            CASE WHEN failed THEN 'query timeout against the events store' END
     FROM "DetectionRule" r
     JOIN "Organization" o ON r."organizationId" = o.id OR r."organizationId" IS NULL,
          generate_series(${ALIGNED_FROM('r."scheduleIntervalSeconds"')}, $2::timestamptz, r."scheduleIntervalSeconds" * interval '1 second') AS slot,
          LATERAL (SELECT CASE WHEN r.key = $3 THEN (40000 + random() * 50000)::int ELSE (20 + random() * 3000)::int END AS d,
                          random() < 0.02 AS failed) x
     WHERE NOT (r.id = $4 AND slot > $2::timestamptz - interval '3 hours')`,
    [from, new Date(now - 60_000), DEMO_FAILURES.slowRule, DEMO_FAILURES.missedRule],
  );
}
