import { createRunTracing, type RunTracing } from '../../src/telemetry/tracing';
import { startRunTelemetry } from '../../src/telemetry/start';
import { RunTailer } from '../../src/telemetry/tailer';
import { recordConnectorSync, recordRuleRun } from '../../src/telemetry/recorder';
import { runSpanIds } from '../../src/telemetry/ids';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { insertRule, insertTenant } from '../helpers/fixtures';
import { OtlpReceiver, type ReceivedSpan } from './receiver';

const OTEL_VARS = ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_PROTOCOL', 'OTEL_SERVICE_NAME', 'OTEL_RESOURCE_ATTRIBUTES'];
const WORKER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

/** Unix nanoseconds of an ISO time with microseconds, computed without floating point. */
function nanos(iso: string): string {
  const [whole, fraction = ''] = iso.replace('Z', '').split('.');
  return (BigInt(Date.parse(`${whole}Z`)) * 1_000_000n + BigInt(fraction.padEnd(9, '0'))).toString();
}

async function insertRuleRunRow(
  db: TestDatabase,
  startedAt: string,
  finishedAt: string,
  status = 'SUCCEEDED',
  traceId: string | null = null,
): Promise<number> {
  const { rows } = await db.pool.query<{ id: number }>(
    `INSERT INTO "RuleRun" ("organizationId", "ruleId", trigger, "startedAt", "finishedAt", "durationMs", status, "eventsEvaluated", "findingsOpened", "traceId")
     VALUES ('org_acme', 'rule_travel', 'MANUAL', $1, $2, 1, $3, 10, 1, $4) RETURNING id`,
    [startedAt, finishedAt, status, traceId],
  );
  return Number(rows[0].id);
}

function spansOf(receiver: OtlpReceiver, table: 'RuleRun' | 'ConnectorSyncRun', id: number): ReceivedSpan[] {
  const { spanId } = runSpanIds(table, id, null);
  return receiver.spans.filter((span) => span.spanId === spanId);
}

// The OTLP HTTP exporter loads node:http with a dynamic import(), which jest's VM contexts allow only with
// --experimental-vm-modules (set by `npm test`). Without it every export would fail after its timeout.
if (!`${process.env.NODE_OPTIONS ?? ''} ${process.execArgv.join(' ')}`.includes('--experimental-vm-modules')) {
  throw new Error('run the telemetry tests through `npm test` (it sets NODE_OPTIONS=--experimental-vm-modules)');
}

describe('no OTLP endpoint', () => {
  it('creates no exporter, provider or tailer', () => {
    expect(createRunTracing({})).toBeNull();
    expect(createRunTracing({ OTEL_SERVICE_NAME: 'x', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' })).toBeNull();
    expect(createRunTracing({ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' })).toBeNull();
    expect(startRunTelemetry('postgresql://u@127.0.0.1:1/x', {})).toBeNull();
  });
});

describe('a span per run over OTLP/HTTP', () => {
  let db: TestDatabase;
  let receiver: OtlpReceiver;
  const saved: Record<string, string | undefined> = {};
  const tracings: RunTracing[] = [];
  const tracing = () => {
    const created = createRunTracing();
    if (!created) throw new Error('expected a tracer: the endpoint is set');
    tracings.push(created);
    return created;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    await insertTenant(db.pool, 'acme');
    await insertRule(db.pool, { id: 'rule_travel', org: 'org_acme', key: 'impossible_travel' });
    receiver = new OtlpReceiver();
    const url = await receiver.start();
    for (const name of OTEL_VARS) saved[name] = process.env[name];
    // The standard variables only: the exporter reads them itself.
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = url;
    process.env.OTEL_EXPORTER_OTLP_PROTOCOL = 'http/json';
    process.env.OTEL_SERVICE_NAME = 'aperio-exporter-test';
    process.env.OTEL_RESOURCE_ATTRIBUTES = 'deployment.environment=test';
  });

  afterAll(async () => {
    for (const t of tracings) await t.shutdown().catch(() => undefined);
    for (const name of OTEL_VARS) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    await receiver.stop();
    await db.drop();
  });

  it('emits one span per run with the exact times, status and attributes, and saves the position', async () => {
    const tailer = new RunTailer(db.pool, tracing(), { gapWindowMs: 200 });
    expect(await tailer.poll()).toBe(0); // first start: the tail begins at the end of each table

    const recordedRule = await recordRuleRun(db.pool, {
      organizationId: 'org_acme',
      ruleId: 'rule_travel',
      trigger: 'SCHEDULE',
      scheduledFor: new Date('2026-01-02T03:00:00Z'),
      startedAt: new Date('2026-01-02T03:00:01.250Z'),
      finishedAt: new Date('2026-01-02T03:00:03.500Z'),
      status: 'SUCCEEDED',
      eventsEvaluated: 1200,
      findingsOpened: 3,
    });
    const recordedSync = await recordConnectorSync(db.pool, {
      organizationId: 'org_acme',
      connectionId: 'conn_okta',
      provider: 'okta',
      trigger: 'EVENT',
      startedAt: new Date('2026-01-02T03:05:00.000Z'),
      finishedAt: new Date('2026-01-02T03:05:09.001Z'),
      status: 'FAILED',
      recordsIngested: 17,
      error: 'token expired',
    });
    const rowRule = await insertRuleRunRow(db, '2026-01-02T03:04:05.123456Z', '2026-01-02T03:04:06.654321Z', 'TIMED_OUT', WORKER_TRACE);
    const rowRuleBadTrace = await insertRuleRunRow(
      db,
      '2026-01-02T03:10:00.000001Z',
      '2026-01-02T03:10:00.000002Z',
      'SKIPPED',
      'not-a-trace-id',
    );

    expect(await tailer.poll()).toBe(4);
    expect(receiver.spans).toHaveLength(4);

    const [rule] = spansOf(receiver, 'RuleRun', recordedRule);
    expect(rule.name).toBe('rule.evaluate impossible_travel');
    expect(rule.startTimeUnixNano).toBe(nanos('2026-01-02T03:00:01.250Z'));
    expect(rule.endTimeUnixNano).toBe(nanos('2026-01-02T03:00:03.500Z'));
    expect(rule.traceId).toBe(runSpanIds('RuleRun', recordedRule, null).traceId);
    expect(rule.parentSpanId ?? '').toBe('');
    expect(rule.status.code ?? 0).toBe(1); // OK
    expect(rule.attributes).toMatchObject({
      'aperio.tenant.id': 'org_acme',
      'aperio.rule.id': 'rule_travel',
      'aperio.run.trigger': 'SCHEDULE',
      'aperio.run.status': 'SUCCEEDED',
      'aperio.run.events_evaluated': 1200,
      'aperio.run.findings_opened': 3,
      'aperio.run.scheduled_for': '2026-01-02T03:00:00.000Z',
    });
    expect(rule.resource).toMatchObject({ 'service.name': 'aperio-exporter-test', 'deployment.environment': 'test' });

    const [sync] = spansOf(receiver, 'ConnectorSyncRun', recordedSync);
    expect(sync.name).toBe('connector.sync okta');
    expect(sync.startTimeUnixNano).toBe(nanos('2026-01-02T03:05:00.000Z'));
    expect(sync.endTimeUnixNano).toBe(nanos('2026-01-02T03:05:09.001Z'));
    expect(sync.status).toMatchObject({ code: 2, message: 'token expired' });
    expect(sync.attributes).toMatchObject({
      'aperio.tenant.id': 'org_acme',
      'aperio.connector.id': 'conn_okta',
      'aperio.provider': 'okta',
      'aperio.run.trigger': 'EVENT',
      'aperio.run.status': 'FAILED',
      'aperio.run.records_ingested': 17,
      'aperio.run.error': 'token expired',
    });
    expect(sync.attributes).not.toHaveProperty('aperio.run.scheduled_for');

    // A row written as SQL, with microseconds and the worker's trace id: the span joins that trace.
    const [joined] = spansOf(receiver, 'RuleRun', rowRule);
    expect(joined.traceId).toBe(WORKER_TRACE);
    expect(joined.startTimeUnixNano).toBe(nanos('2026-01-02T03:04:05.123456Z'));
    expect(joined.endTimeUnixNano).toBe(nanos('2026-01-02T03:04:06.654321Z'));
    expect(joined.status.code).toBe(2);
    const [fallback] = spansOf(receiver, 'RuleRun', rowRuleBadTrace);
    expect(fallback.traceId).toBe(runSpanIds('RuleRun', rowRuleBadTrace, null).traceId);
    expect(fallback.status.code ?? 0).toBe(0); // SKIPPED: neither OK nor ERROR

    const { rows } = await db.pool.query(`SELECT name, "lastId" FROM "TelemetryTail" ORDER BY name`);
    expect(rows).toEqual([
      { name: 'ConnectorSyncRun', lastId: recordedSync },
      { name: 'RuleRun', lastId: rowRuleBadTrace },
    ]);
    expect(await tailer.poll()).toBe(0);
    await tailer.stop();
  });

  it('a replica that stops midway and another that takes over: every run once, none missing', async () => {
    receiver.spans.length = 0;
    const ids: number[] = [];
    for (let i = 0; i < 40; i++) {
      const second = String(i).padStart(2, '0');
      ids.push(await insertRuleRunRow(db, `2026-01-03T00:00:${second}.000100Z`, `2026-01-03T00:00:${second}.500200Z`));
    }
    const first = new RunTailer(db.pool, tracing(), { batchSize: 2, pollMs: 10 });
    const standby = new RunTailer(db.pool, tracing(), { batchSize: 2, pollMs: 10 });
    first.start();
    while (receiver.spans.length < 4) await new Promise((resolve) => setTimeout(resolve, 2));
    expect(await standby.poll()).toBe(0); // only the lock holder tails
    await first.stop();
    const afterFirst = receiver.spans.length;

    while ((await standby.poll()) > 0);
    await standby.stop();
    expect(afterFirst).toBeLessThan(40);
    const spanIds = receiver.spans.map((span) => span.spanId);
    expect(new Set(spanIds).size).toBe(spanIds.length);
    expect(spanIds.sort()).toEqual(ids.map((id) => runSpanIds('RuleRun', id, null).spanId).sort());
  });

  it('waits for an id that commits after a higher one, instead of skipping it', async () => {
    receiver.spans.length = 0;
    const tailer = new RunTailer(db.pool, tracing(), { gapWindowMs: 60_000 });
    const slow = await db.pool.connect();
    try {
      await slow.query('BEGIN');
      const { rows } = await slow.query<{ id: number }>(
        `INSERT INTO "RuleRun" ("organizationId", "ruleId", trigger, "startedAt", "finishedAt", status)
         VALUES ('org_acme', 'rule_travel', 'SCHEDULE', '2026-01-04T00:00:00Z', '2026-01-04T00:00:01Z', 'SUCCEEDED') RETURNING id`,
      );
      const late = Number(rows[0].id);
      const early = await insertRuleRunRow(db, '2026-01-04T00:00:02Z', '2026-01-04T00:00:03Z');
      expect(await tailer.poll()).toBe(0); // id `early` is visible, `late` below it is not yet committed
      await slow.query('COMMIT');
      expect(await tailer.poll()).toBe(2);
      expect(receiver.spans.map((s) => s.spanId).sort()).toEqual([late, early].map((id) => runSpanIds('RuleRun', id, null).spanId).sort());
    } finally {
      slow.release();
      await tailer.stop();
    }
  });

  it('skips an id whose insert was rolled back once the gap window has passed', async () => {
    receiver.spans.length = 0;
    const tailer = new RunTailer(db.pool, tracing(), { gapWindowMs: 100 });
    await db.pool.query(`BEGIN; INSERT INTO "RuleRun" ("organizationId", "ruleId", trigger, "startedAt", status)
      VALUES ('org_acme', 'rule_travel', 'SCHEDULE', now(), 'SUCCEEDED'); ROLLBACK`);
    const after = await insertRuleRunRow(db, '2026-01-05T00:00:00Z', '2026-01-05T00:00:01Z');
    expect(await tailer.poll()).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await tailer.poll()).toBe(1);
    expect(spansOf(receiver, 'RuleRun', after)).toHaveLength(1);
    await tailer.stop();
  });

  it('keeps the position when the endpoint rejects the spans, and sends them once it accepts', async () => {
    receiver.spans.length = 0;
    const tailer = new RunTailer(db.pool, tracing());
    const id = await insertRuleRunRow(db, '2026-01-06T00:00:00Z', '2026-01-06T00:00:01Z');
    const before = (await db.pool.query(`SELECT "lastId" FROM "TelemetryTail" WHERE name = 'RuleRun'`)).rows[0].lastId;
    receiver.fail = true;
    await expect(tailer.poll()).rejects.toThrow();
    receiver.fail = false;
    expect((await db.pool.query(`SELECT "lastId" FROM "TelemetryTail" WHERE name = 'RuleRun'`)).rows[0].lastId).toBe(before);
    expect(await tailer.poll()).toBe(1);
    expect(spansOf(receiver, 'RuleRun', id)).toHaveLength(1);
    await tailer.stop();
  });
});
