import { createToken, listTokens, revokeToken } from '../../src/auth/tokens';
import { CORE_CONTRACT } from '../../src/db/contract';
import { checkSchema, blockingFailures } from '../../src/db/doctor';
import { probeMonitorWrites } from '../../src/db/doctor-probes';
import { logger } from '../../src/log';
import { runMaintenance } from '../../src/maintenance/runner';
import { openFinding } from '../../src/monitors/findings';
import { readRuns, RUN_TABLES } from '../../src/telemetry/source';
import type { Exporter } from '../../src/server/start';
import { startApiExporter, get } from '../api/helpers';
import { createContractDatabase, type IdType } from '../helpers/contract-database';
import { columnsUsed } from '../helpers/contract-usage';
import { openApiConformance } from '../helpers/openapi-conformance';
import { captureStatements } from '../helpers/statement-capture';
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

/** The ids of the seeded rows, spelled for each id type. */
const IDS: Record<IdType, Record<'acme' | 'globex' | 'c1' | 'c2' | 'd1' | 'r1', string>> = {
  text: { acme: 'org_acme', globex: 'org_globex', c1: 'c1', c2: 'c2', d1: 'd1', r1: 'r1' },
  uuid: {
    acme: '00000000-0000-4000-8000-00000000000a',
    globex: '00000000-0000-4000-8000-00000000000b',
    c1: '00000000-0000-4000-8000-0000000000c1',
    c2: '00000000-0000-4000-8000-0000000000c2',
    d1: '00000000-0000-4000-8000-0000000000d1',
    r1: '00000000-0000-4000-8000-0000000000e1',
  },
  bigint: { acme: '1', globex: '2', c1: '11', c2: '12', d1: '21', r1: '31' },
  integer: { acme: '1', globex: '2', c1: '11', c2: '12', d1: '21', r1: '31' },
};

describe.each(['text', 'uuid', 'bigint', 'integer'] as IdType[])('a database with only the contract columns (%s ids)', (idType) => {
  const ID = IDS[idType];
  let db: TestDatabase;
  let exporter: Exporter;
  let capture: ReturnType<typeof captureStatements> | null = null;
  beforeAll(async () => {
    logger.level = 'silent';
    db = await createContractDatabase(idType);
    const q = (sql: string, params: unknown[]) => db.pool.query(sql, params);
    await q(
      `INSERT INTO "Organization" (id, name, slug, "dataRetentionDays") VALUES ($1, 'Acme', 'acme', 7), ($2, 'Globex', 'globex', 30)`,
      [ID.acme, ID.globex],
    );
    await q(
      `INSERT INTO "IntegrationConnection" (id, "organizationId", provider, name, status, "lastSyncAt", "lastError", "lastErrorAt", "syncIntervalSeconds")
       VALUES ($3, $5, 'crowdstrike', 'Falcon', 'ACTIVE', $1, 'token expired', $2, 900), ($4, $6, 'okta', 'Okta', 'ACTIVE', $2, NULL, NULL, 900)`,
      [at(8 * HOUR), at(60_000), ID.c1, ID.c2, ID.acme, ID.globex],
    );
    await q(
      `INSERT INTO "SiemDestination" (id, "organizationId", name, kind, enabled, "deliveriesOk", "deliveriesFail", "lastDeliveryAt", "lastError", "lastErrorAt")
       VALUES ($2, $3, 'Splunk', 'SPLUNK_HEC', true, 100, 7, $1, NULL, NULL)`,
      [at(60_000), ID.d1, ID.acme],
    );
    await q(
      `INSERT INTO "SiemDelivery" ("destinationId", status, attempts, "createdAt")
       SELECT $2, CASE WHEN g <= 3 THEN 'PENDING' ELSE 'DEAD_LETTER' END, CASE WHEN g <= 3 THEN 0 ELSE 5 END, $1 FROM generate_series(1, 5) g`,
      [at(10 * 60_000), ID.d1],
    );
    await q(
      `INSERT INTO "IngestionJob" ("organizationId", kind, status, attempts, "createdAt") SELECT $2, 'events', 'QUEUED', 0, $1 FROM generate_series(1, 4) g`,
      [at(5 * 60_000), ID.globex],
    );
    await q(
      `INSERT INTO "DetectionRule" (id, "organizationId", key, name, severity, enabled, "scheduleIntervalSeconds", "scheduleCron") VALUES ($1, NULL, 'mfa_disabled', 'MFA disabled', 'HIGH', true, 3600, NULL)`,
      [ID.r1],
    );
    await q(
      `INSERT INTO "RuleRun" ("organizationId", "ruleId", trigger, "startedAt", "finishedAt", "durationMs", status, "eventsEvaluated", "findingsOpened")
       SELECT $2, $3, 'SCHEDULE', $1::timestamptz - g * interval '10 minutes', $1::timestamptz, 200, CASE WHEN g = 1 THEN 'FAILED' ELSE 'SUCCEEDED' END, 10, 0
       FROM generate_series(1, 5) g`,
      [at(0), ID.acme, ID.r1],
    );
    await q(
      `INSERT INTO "ConnectorSyncRun" ("organizationId", "connectionId", provider, trigger, "startedAt", "finishedAt", "durationMs", status, "recordsIngested")
       VALUES ($2, $3, 'okta', 'SCHEDULE', $1, $1, 1000, 'SUCCEEDED', 50)`,
      [at(60_000), ID.globex, ID.c2],
    );
    // From here on every statement is the exporter's (its startup, collectors, monitors, API, maintenance).
    capture = captureStatements();
    exporter = await startApiExporter(db.url);
  }, 60_000);
  afterAll(async () => {
    capture?.stop();
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
    expect(snapshot.connectors.find((c) => String(c.id) === ID.c1)).toMatchObject({ tenant: 'acme', lastError: 'token expired' });
    expect(snapshot.siemDestinations[0]).toMatchObject({ pending: 3, deadLetters: 2, deliveriesOk: 100, deliveriesFail: 7 });
    expect(snapshot.ingestion).toEqual([expect.objectContaining({ tenant: 'globex', queued: 4 })]);
    const rule = snapshot.rules.find((r) => r.tenant === 'acme' && String(r.ruleId) === ID.r1)!;
    expect(rule.totals).toMatchObject({ runs: 5, failures: 1, eventsEvaluated: 50 });
  });

  it('the monitors open, update and resolve findings, and the findings collector reads them back', async () => {
    expect((await probeMonitorWrites(db.pool)).filter((c) => !c.ok)).toEqual([]);
    const client = await db.pool.connect();
    try {
      await openFinding(
        client,
        {
          check: 'aperio.platform.connector_stale',
          subject: ID.c1,
          tenantId: ID.acme,
          severity: 'MEDIUM',
          title: 'stale',
          description: 'stale for 8 h',
        },
        now,
      );
    } finally {
      client.release();
    }
    const snapshot = await testCollector(db.pool).refresh();
    expect(snapshot.platformFindings.map((f) => [f.check, String(f.tenantId)])).toEqual([['aperio.platform.connector_stale', ID.acme]]);
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
    expect(
      (await get(exporter.url, '/api/v1/connector-syncs', (await createToken(db.pool, { role: 'OPERATOR', tenant: null })).token)).body
        .data,
    ).toHaveLength(1);
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

  it('the health, audit and schedules API answer in the shapes of the OpenAPI document, ids as strings whatever their type', async () => {
    const { token } = await createToken(db.pool, { role: 'OPERATOR', tenant: null });
    await exporter.collector.refresh();
    const { conforms } = openApiConformance();
    const routes: [string, string][] = [
      ['/v1/health/connectors', '/api/v1/health/connectors'],
      ['/v1/health/siem', '/api/v1/health/siem'],
      ['/v1/health/ingestion', '/api/v1/health/ingestion'],
      ['/v1/rule-runs', '/api/v1/rule-runs'],
      ['/v1/connector-syncs', '/api/v1/connector-syncs'],
      ['/v1/schedules', '/api/v1/schedules'],
    ];
    for (const [route, path] of routes) {
      const answer = await get(exporter.url, path, token);
      expect([path, answer.status]).toEqual([path, 200]);
      conforms(route, answer, `GET ${path} (${idType} ids)`);
    }
  });

  // Runs last: the statements of every test above. The database proves the exporter touches no column
  // outside the contract; this proves the contract lists none the exporter does not touch.
  it('every column of the contract is read or written by some statement of the exporter', async () => {
    capture!.stop();
    const tables = new Set(Object.keys(CORE_CONTRACT));
    const { columns, explained } = await columnsUsed(db.pool, capture!.statements, tables);
    expect(explained).toBeGreaterThan(30);
    const contract = Object.entries(CORE_CONTRACT).flatMap(([table, cols]) => cols.map((c) => `${table}.${c.name}`));
    expect(contract.filter((column) => !columns.has(column))).toEqual([]);
    expect([...columns].filter((column) => !contract.includes(column))).toEqual([]);
  });

  it('the incremental read re-reads a connection and a rule after new runs, whatever the id type', async () => {
    await exporter.collector.refresh();
    const scoped = captureStatements();
    await db.pool.query(
      `INSERT INTO "ConnectorSyncRun" ("organizationId", "connectionId", provider, trigger, "startedAt", "finishedAt", "durationMs", status, "recordsIngested")
       VALUES ($2, $3, 'okta', 'SCHEDULE', $1, $1, 1000, 'FAILED', 5)`,
      [new Date(), ID.globex, ID.c2],
    );
    await db.pool.query(
      `INSERT INTO "RuleRun" ("organizationId", "ruleId", trigger, "startedAt", "finishedAt", "durationMs", status, "eventsEvaluated", "findingsOpened")
       VALUES ($2, $3, 'SCHEDULE', $1, $1, 200, 'SUCCEEDED', 10, 0)`,
      [new Date(), ID.acme, ID.r1],
    );
    const snapshot = await exporter.collector.refresh().finally(() => scoped.stop());
    expect(snapshot.collections.filter((c) => !c.success).map((c) => `${c.collector}: ${c.error}`)).toEqual([]);
    expect(scoped.statements.filter((st) => /= ANY\(\$4\)/.test(st.text))).toHaveLength(2);
    expect(snapshot.connectors.find((c) => String(c.id) === ID.c2)!.totals).toMatchObject({ runs: 2, failures: 1 });
    expect(snapshot.rules.find((r) => r.tenant === 'acme' && String(r.ruleId) === ID.r1)!.totals).toMatchObject({ runs: 6, failures: 1 });
  });
});
