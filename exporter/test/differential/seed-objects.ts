import type pg from 'pg';
import { at, HOUR, MINUTE } from './clock';

/**
 * Per-provider freshness thresholds (FRESHNESS_CONFIG): okta is strict, github has no critical level,
 * azure_ad uses the default. The expected side reads the same YAML text, not the exporter's parser.
 */
export const FRESHNESS_YAML = [
  'default:',
  '  warn_after: {count: 1, period: hour}',
  '  error_after: {count: 6, period: hour}',
  'providers:',
  '  okta:',
  '    warn_after: {count: 20, period: minute}',
  '    error_after: {count: 2, period: hour}',
  '  github:',
  '    warn_after: {count: 2, period: hour}',
  '    error_after: null',
].join('\n');

/** The thresholds FRESHNESS_YAML states, in seconds (null: the level is switched off). */
export const THRESHOLDS: Record<string, { warn: number | null; error: number | null }> = {
  default: { warn: 3600, error: 6 * 3600 },
  okta: { warn: 20 * 60, error: 2 * 3600 },
  github: { warn: 2 * 3600, error: null },
};

/** Tenants, connections, rules, SIEM destinations and their queues, ingestion jobs: plain INSERTs. */
export async function seedObjects(pool: pg.Pool): Promise<void> {
  await pool.query(`
    INSERT INTO "Organization" (id, name, slug, "dataRetentionDays") VALUES
      ('org_acme', 'ACME Corp', 'acme', 30),
      ('org_globex', 'Globex', 'globex', 90),
      ('org_initech', 'Initech', 'initech', 7)`);

  // Never synced; synced 5 min (azure_ad, fresh), 30 min (okta: stale), 3 h (okta: critical) and 8 h ago
  // (github: stale only, its critical level is off); a paused one.
  await pool.query(
    `INSERT INTO "IntegrationConnection" (id, "organizationId", provider, name, status, "lastSyncAt", "lastError", "lastErrorAt", "syncIntervalSeconds") VALUES
      ('conn_okta_never', 'org_acme', 'okta', 'Okta (new)', 'ACTIVE', NULL, NULL, NULL, 900),
      ('conn_okta_30m', 'org_acme', 'okta', 'Okta', 'ACTIVE', $1, 'HTTP 502 from okta', $2, 1800),
      ('conn_azure_fresh', 'org_acme', 'azure_ad', 'Entra ID', 'ACTIVE', $3, NULL, NULL, 900),
      ('conn_github_paused', 'org_acme', 'github', 'GitHub (paused)', 'PAUSED', $4, NULL, NULL, 3600),
      ('conn_okta_3h', 'org_globex', 'okta', 'Okta Globex', 'ACTIVE', $5, 'rate limited', $6, 1800),
      ('conn_github_8h', 'org_globex', 'github', 'GitHub Globex', 'ACTIVE', $7, 'token expired', $8, 3600)`,
    [
      at(-30 * MINUTE),
      at(-20 * MINUTE + 7_000 + 5_000),
      at(-4 * MINUTE - 10_000),
      at(-72 * HOUR),
      at(-3 * HOUR),
      at(-31 * MINUTE + 4_000),
      at(-8 * HOUR),
      at(-7 * HOUR),
    ],
  );

  // A built-in interval rule (every tenant), an hourly cron-only rule, a disabled one with old runs, a
  // 5-minute interval rule whose runs carry no slot and start 40 s late or early, an on-demand rule.
  await pool.query(`
    INSERT INTO "DetectionRule" (id, "organizationId", key, name, severity, enabled, "scheduleIntervalSeconds", "scheduleCron") VALUES
      ('rule_mfa_disabled', NULL, 'mfa_disabled', 'MFA disabled', 'HIGH', true, 3600, NULL),
      ('rule_hourly_cron', 'org_acme', 'hourly_cron', 'Hourly cron report', 'LOW', true, NULL, '0 * * * *'),
      ('rule_switched_off', 'org_acme', 'switched_off', 'Switched off', 'MEDIUM', false, 3600, NULL),
      ('rule_jittered', 'org_acme', 'jittered_check', 'Jittered check', 'MEDIUM', true, 300, NULL),
      ('rule_on_demand', 'org_globex', 'on_demand', 'On demand', 'CRITICAL', true, NULL, NULL)`);

  // Cumulative delivery counters beyond 2^32; a destination that never delivered anything.
  await pool.query(
    `INSERT INTO "SiemDestination" (id, "organizationId", name, kind, enabled, "deliveriesOk", "deliveriesFail", "lastDeliveryAt", "lastError", "lastErrorAt") VALUES
      ('dest_splunk', 'org_acme', 'Splunk prod', 'SPLUNK_HEC', true, 5000000000, 4294967297, $1, 'HEC 503', $2),
      ('dest_sentinel', 'org_globex', 'Sentinel', 'SENTINEL', true, 10, 2, $3, 'workspace not found', $4),
      ('dest_sentinel_new', 'org_globex', 'Sentinel staging', 'SENTINEL', false, 0, 0, NULL, NULL, NULL)`,
    [at(-2 * MINUTE), at(-5 * MINUTE), at(-1 * HOUR), at(-2 * HOUR)],
  );
  // Every delivery status; PENDING both before its first attempt and after failed ones.
  const deliveries: [string, string, string, number, number][] = [
    ['del_1', 'dest_splunk', 'PENDING', 0, -3 * MINUTE],
    ['del_2', 'dest_splunk', 'PENDING', 0, -1 * MINUTE],
    ['del_3', 'dest_splunk', 'PENDING', 1, -10 * MINUTE],
    ['del_4', 'dest_splunk', 'PENDING', 3, -12 * MINUTE],
    ['del_5', 'dest_splunk', 'RETRYING', 2, -20 * MINUTE],
    ['del_6', 'dest_splunk', 'DELIVERED', 1, -90 * MINUTE],
    ['del_7', 'dest_splunk', 'FAILED', 5, -100 * MINUTE],
    ['del_8', 'dest_splunk', 'DEAD_LETTER', 5, -110 * MINUTE],
    ['del_9', 'dest_splunk', 'DEAD_LETTER', 5, -115 * MINUTE],
    ['del_10', 'dest_sentinel', 'DEAD_LETTER', 5, -3 * HOUR],
    ['del_11', 'dest_sentinel', 'PENDING', 0, -30_000],
    ['del_12', 'dest_sentinel', 'DELIVERED', 2, -4 * HOUR],
  ];
  for (const [id, destination, status, attempts, offset] of deliveries) {
    await pool.query(`INSERT INTO "SiemDelivery" (id, "destinationId", status, attempts, "createdAt") VALUES ($1, $2, $3, $4, $5)`, [
      id,
      destination,
      status,
      attempts,
      at(offset),
    ]);
  }

  // Every job status; QUEUED before any attempt and after one, RUNNING its first and its second attempt.
  const jobs: [string, string, string, string, number, number][] = [
    ['job_1', 'org_acme', 'okta.users', 'QUEUED', 0, -5 * MINUTE],
    ['job_2', 'org_acme', 'okta.users', 'QUEUED', 1, -3 * MINUTE],
    ['job_3', 'org_acme', 'okta.users', 'RUNNING', 1, -4 * MINUTE],
    ['job_4', 'org_acme', 'okta.users', 'RUNNING', 2, -9 * MINUTE],
    ['job_5', 'org_acme', 'okta.users', 'SUCCEEDED', 1, -50 * MINUTE],
    ['job_6', 'org_acme', 'okta.users', 'FAILED', 2, -55 * MINUTE],
    ['job_7', 'org_acme', 'okta.users', 'DEAD', 5, -70 * MINUTE],
    ['job_8', 'org_acme', 'azure.signins', 'RUNNING', 2, -2 * MINUTE],
    ['job_9', 'org_acme', 'azure.signins', 'DEAD', 5, -6 * HOUR],
    ['job_10', 'org_globex', 'github.audit', 'QUEUED', 0, -20 * MINUTE],
    ['job_11', 'org_globex', 'github.audit', 'QUEUED', 1, -1 * MINUTE],
    ['job_12', 'org_globex', 'github.audit', 'SUCCEEDED', 1, -2 * HOUR],
  ];
  for (const [id, org, kind, status, attempts, offset] of jobs) {
    await pool.query(
      `INSERT INTO "IngestionJob" (id, "organizationId", kind, status, attempts, "createdAt") VALUES ($1, $2, $3, $4, $5, $6)`,
      [id, org, kind, status, attempts, at(offset)],
    );
  }
}
