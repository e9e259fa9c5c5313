import type pg from 'pg';
import { rebuildDailyRollups } from '../helpers/daily-rollups';
import {
  insertConnector,
  insertDeliveries,
  insertDestination,
  insertRule,
  insertRuleRun,
  insertSync,
  insertTenant,
} from '../helpers/fixtures';

/** Tenant and connector names that must never appear in public status output. */
export const SECRET_NAMES = [
  'zorblax',
  'quintessa',
  'conn_zorblax_okta',
  'conn_quintessa_okta',
  'conn_zorblax_github',
  'dest_quintessa_hook',
  'dest_zorblax_splunk',
];

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/**
 * `ms` before `now`, but never before today's start (UTC): runs the tests count on today's bar stay on
 * it when the suite runs in the first minutes of a day.
 */
export const earlierToday = (now: number, ms: number): Date => new Date(Math.max(now - ms, Math.floor(now / DAY) * DAY));

/**
 * A seeded outage: every okta connection is stale (2 h since the last sync, warn at 1 h, error at 6 h),
 * github is fresh, one webhook destination dead-letters everything, Splunk delivers fine. Rollup history
 * for okta three days ago (10 runs, 1 failure) and raw runs since the watermark feed the uptime bars.
 */
export async function seedOutage(pool: pg.Pool, now: number): Promise<void> {
  const zorblax = await insertTenant(pool, 'zorblax');
  const quintessa = await insertTenant(pool, 'quintessa');
  const ago = (ms: number) => new Date(now - ms);
  // No sync schedules and no rule schedule: the outage is one of freshness, not of missed slots.
  await insertConnector(pool, { id: 'conn_zorblax_okta', org: zorblax, provider: 'okta', lastSyncAt: ago(2 * HOUR) });
  await insertConnector(pool, { id: 'conn_quintessa_okta', org: quintessa, provider: 'okta', lastSyncAt: ago(2 * HOUR) });
  await insertConnector(pool, { id: 'conn_zorblax_github', org: zorblax, provider: 'github', lastSyncAt: ago(60_000) });
  await insertSync(pool, {
    connectionId: 'conn_zorblax_github',
    org: zorblax,
    provider: 'github',
    startedAt: earlierToday(now, 60_000),
    durationMs: 1_000,
    status: 'SUCCEEDED',
  });
  await insertDestination(pool, { id: 'dest_quintessa_hook', org: quintessa, kind: 'WEBHOOK', ok: 0, fail: 40, lastDeliveryAt: null });
  await insertDeliveries(pool, 'dest_quintessa_hook', 'DEAD_LETTER', 4, ago(10 * 60_000));
  await insertDestination(pool, {
    id: 'dest_zorblax_splunk',
    org: zorblax,
    kind: 'SPLUNK_HEC',
    ok: 100,
    fail: 0,
    lastDeliveryAt: ago(30_000),
  });
  await insertRule(pool, { id: 'rule_mfa', org: null, key: 'mfa_disabled' });
  for (const org of [zorblax, quintessa]) {
    await insertRuleRun(pool, { org, ruleId: 'rule_mfa', startedAt: earlierToday(now, 60_000), durationMs: 100, status: 'SUCCEEDED' });
  }
  // Rollups hold everything before the watermark; three days ago okta had 10 syncs, one failed.
  const watermark = new Date(now - 30 * 60_000);
  await pool.query(`INSERT INTO "RollupState" (name, "rolledUntil") VALUES ('ConnectorSyncRun', $1), ('RuleRun', $1)`, [watermark]);
  const threeDaysAgo = new Date(Math.floor(now / HOUR) * HOUR - 72 * HOUR);
  await pool.query(
    `INSERT INTO "ConnectorSyncHourly" (hour, "connectionId", "organizationId", provider, runs, failures, "durationCount", "durationMsSum", "durationMsMax", "durationBuckets", "recordsIngested")
     VALUES ($1, 'conn_zorblax_okta', $2, 'okta', 10, 1, 10, 1000, 100, '{}', 0)`,
    [threeDaysAgo, zorblax],
  );
  await rebuildDailyRollups(pool);
}
