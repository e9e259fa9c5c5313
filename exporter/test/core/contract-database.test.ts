import { createToken, listTokens, revokeToken } from '../../src/auth/tokens';
import { checkSchema, blockingFailures } from '../../src/db/doctor';
import { probeMonitorWrites } from '../../src/db/doctor-probes';
import { logger } from '../../src/log';
import { runMaintenance } from '../../src/maintenance/runner';
import { openFinding } from '../../src/monitors/findings';
import { readRuns, RUN_TABLES } from '../../src/telemetry/source';
import type { Exporter } from '../../src/exporter/runtime';
import { startApiExporter, get } from '../api/helpers';
import { createContractDatabase } from '../helpers/contract-database';
import type { TestDatabase } from '../helpers/database';
import { testCollector } from '../helpers/snapshot';

/**
 * Everything the exporter does, on a database that has only the contract's columns (db/contract.ts):
 * every collector, the monitors' writes, maintenance, token operations and the audit, schedules and
 * health API. A statement that touches a column outside the contract fails here.
 */
const HOUR = 3600_000;
const now = Date.now();
const at = (msAgo: number) => new Date(now - msAgo);

describe('a database with only the contract columns (text ids)', () => {
  let db: TestDatabase;
  let exporter: Exporter;
  beforeAll(async () => {
    logger.level = 'silent';
    db = await createContractDatabase('text');
    const q = (sql: string, params: unknown[]) => db.pool.query(sql, params);
    await q(`INSERT INTO "Organization" (id, name, slug, "dataRetentionDays") VALUES ($1, 'Acme', 'acme', 7), ($2, 'Globex', 'globex', 30)`, ['org_acme', 'org_globex']);
    await q(
      `INSERT INTO "IntegrationConnection" (id, "organizationId", provider, name, status, "lastSyncAt", "lastError", "lastErrorAt", "syncIntervalSeconds")
       VALUES ('c1', 'org_acme', 'crowdstrike', 'Falcon', 'ACTIVE', $1, 'token expired', $2, 900), ('c2', 'org_globex', 'okta', 'Okta', 'ACTIVE', $2, NULL, NULL, 900)`,
      [at(8 * HOUR), at(60_000)],
    );
    await q(
      `INSERT INTO "SiemDestination" (id, "organizationId", name, kind, enabled, "deliveriesOk", "deliveriesFail", "lastDeliveryAt", "lastError", "lastErrorAt")
       VALUES ('d1', 'org_acme', 'Splunk', 'SPLUNK_HEC', true, 100, 7, $1, NULL, NULL)`,
      [at(60_000)],
    );
    await q(
      `INSERT INTO "SiemDelivery" (id, "destinationId", status, attempts, "createdAt")
       SELECT 'dl' || g, 'd1', CASE WHEN g <= 3 THEN 'PENDING' ELSE 'DEAD_LETTER' END, 1, $1 FROM generate_series(1, 5) g`,
      [at(10 * 60_000)],
    );
    await q(`INSERT INTO "IngestionJob" (id, "organizationId", kind, status, attempts, "createdAt") SELECT 'j' || g, 'org_globex', 'events', 'QUEUED', 0, $1 FROM generate_series(1, 4) g`, [
      at(5 * 60_000),
    ]);
    await q(`INSERT INTO "DetectionRule" (id, "organizationId", key, name, severity, enabled, "scheduleIntervalSeconds", "scheduleCron") VALUES ('r1', NULL, 'mfa_disabled', 'MFA disabled', 'HIGH', true, 3600, NULL)`, []);
    await q(
      `INSERT INTO "RuleRun" ("organizationId", "ruleId", trigger, "startedAt", "finishedAt", "durationMs", status, "eventsEvaluated", "findingsOpened")
       SELECT 'org_acme', 'r1', 'SCHEDULE', $1::timestamptz - g * interval '10 minutes', $1::timestamptz, 200, CASE WHEN g = 1 THEN 'FAILED' ELSE 'SUCCEEDED' END, 10, 0
       FROM generate_series(1, 5) g`,
      [at(0)],
    );
    await q(
      `INSERT INTO "ConnectorSyncRun" ("organizationId", "connectionId", provider, trigger, "startedAt", "finishedAt", "durationMs", status, "recordsIngested")
       VALUES ('org_globex', 'c2', 'okta', 'SCHEDULE', $1, $1, 1000, 'SUCCEEDED', 50)`,
      [at(60_000)],
    );
    exporter = await startApiExporter(db.url);
  }, 60_000);
  afterAll(async () => {
    await exporter?.stop();
    await db?.drop();
  });

  it('doctor passes', async () => {
    expect(blockingFailures(await checkSchema(db.pool))).toEqual([]);
  });

  it('every collector completes, with the right numbers', async () => {
    const snapshot = await testCollector(db.pool).refresh();
    expect(snapshot.collections.filter((c) => !c.success).map((c) => `${c.collector}: ${c.error}`)).toEqual([]);
    expect(snapshot.tenants.map((t) => t.slug).sort()).toEqual(['acme', 'globex']);
    expect(snapshot.connectors.find((c) => c.id === 'c1')).toMatchObject({ tenant: 'acme', lastError: 'token expired' });
    expect(snapshot.siemDestinations[0]).toMatchObject({ pending: 3, deadLetters: 2, deliveriesOk: 100, deliveriesFail: 7 });
    expect(snapshot.ingestion).toEqual([expect.objectContaining({ tenant: 'globex', queued: 4 })]);
    const rule = snapshot.rules.find((r) => r.tenant === 'acme' && r.ruleId === 'r1')!;
    expect(rule.totals).toMatchObject({ runs: 5, failures: 1, eventsEvaluated: 50 });
  });

  it('the monitors open, update and resolve findings, and the findings collector reads them back', async () => {
    expect((await probeMonitorWrites(db.pool)).filter((c) => !c.ok)).toEqual([]);
    const client = await db.pool.connect();
    try {
      await openFinding(client, { check: 'aperio.platform.connector_stale', subject: 'c1', tenantId: 'org_acme', severity: 'MEDIUM', title: 'stale', description: 'stale for 8 h' }, now);
    } finally {
      client.release();
    }
    const snapshot = await testCollector(db.pool).refresh();
    expect(snapshot.platformFindings).toEqual([expect.objectContaining({ check: 'aperio.platform.connector_stale', tenantId: 'org_acme' })]);
  });

  it('maintenance runs every step', async () => {
    const report = await runMaintenance(db.pool, now);
    expect(report.rollups.map((r) => r.table)).toEqual(['RuleRun', 'ConnectorSyncRun']);
  });

  it('tokens are created for a tenant slug, listed, used and revoked', async () => {
    const { token, record } = await createToken(db.pool, { role: 'ADMIN', tenant: 'acme' });
    expect((await listTokens(db.pool)).map((t) => t.tenant)).toContain('acme');
    const runs = await get(exporter.url, '/api/v1/rule-runs?limit=10', token);
    expect(runs.status).toBe(200);
    expect(runs.body.data).toHaveLength(5);
    expect((await get(exporter.url, '/api/v1/schedules', token)).status).toBe(200);
    expect((await get(exporter.url, '/api/v1/connector-syncs', (await createToken(db.pool, { role: 'OPERATOR', tenant: null })).token)).body.data).toHaveLength(1);
    expect(await revokeToken(db.pool, record.id)).toBe(true);
    expect((await get(exporter.url, '/api/v1/rule-runs', token)).status).toBe(401);
  });

  it('the audit export and the detail of a run answer, and the telemetry tail reads the runs', async () => {
    const { token } = await createToken(db.pool, { role: 'ADMIN', tenant: 'acme' });
    const exported = await get(exporter.url, '/api/v1/rule-runs/export?format=ndjson', token);
    expect(exported.status).toBe(200);
    expect(exported.text.trim().split('\n')).toHaveLength(5);
    const first = (await get(exporter.url, '/api/v1/rule-runs?limit=1', token)).body.data[0];
    expect((await get(exporter.url, `/api/v1/rule-runs/${first.id}`, token)).status).toBe(200);
    const client = await db.pool.connect();
    try {
      const runs = await Promise.all(RUN_TABLES.map((table) => readRuns(client, table, 0, 100)));
      expect(runs.map((r) => r.length)).toEqual([5, 1]);
    } finally {
      client.release();
    }
  });

  it('the health API answers', async () => {
    const { token } = await createToken(db.pool, { role: 'OPERATOR', tenant: null });
    await exporter.collector.refresh();
    for (const path of ['/api/v1/health/connectors', '/api/v1/health/siem', '/api/v1/health/ingestion']) {
      expect([path, (await get(exporter.url, path, token)).status]).toEqual([path, 200]);
    }
  });
});
