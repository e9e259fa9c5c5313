import { execFileSync } from 'node:child_process';
import { gunzipSync } from 'node:zlib';
import type { Exporter } from '../../src/server/start';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { parseExposition, series } from '../helpers/exposition';
import { startTestExporter } from '../helpers/exporter';
import {
  insertConnector,
  insertDeliveries,
  insertDestination,
  insertJobs,
  insertRule,
  insertRuleRun,
  insertSync,
  insertTenant,
} from '../helpers/fixtures';
import { describeWithTool } from '../helpers/tools';

const NOW = Date.now();
const minutesAgo = (m: number) => new Date(NOW - m * 60_000);

describe('/metrics served from the snapshot', () => {
  let db: TestDatabase;
  let exporter: Exporter;
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${exporter.url}${path}`, { headers });

  beforeAll(async () => {
    db = await createTestDatabase();
    const acme = await insertTenant(db.pool, 'acme');
    const globex = await insertTenant(db.pool, 'globex');
    await insertConnector(db.pool, { id: 'c-fresh', org: acme, provider: 'okta', lastSyncAt: minutesAgo(10) });
    await insertConnector(db.pool, { id: 'c-stale', org: acme, provider: 'okta', lastSyncAt: minutesAgo(120) });
    await insertConnector(db.pool, { id: 'c-critical', org: globex, provider: 'github', lastSyncAt: minutesAgo(60 * 7) });
    await insertConnector(db.pool, { id: 'c-never', org: globex, provider: 'github', lastSyncAt: null });
    await insertSync(db.pool, {
      connectionId: 'c-fresh',
      org: acme,
      provider: 'okta',
      startedAt: minutesAgo(10),
      durationMs: 2_000,
      status: 'SUCCEEDED',
      records: 42,
    });
    await insertSync(db.pool, {
      connectionId: 'c-stale',
      org: acme,
      provider: 'okta',
      startedAt: minutesAgo(5),
      durationMs: 9_000,
      status: 'FAILED',
    });
    await insertRule(db.pool, { id: 'r-built-in', org: null, key: 'mfa_disabled', interval: 300 });
    await insertRuleRun(db.pool, {
      org: acme,
      ruleId: 'r-built-in',
      startedAt: minutesAgo(2),
      durationMs: 300,
      status: 'SUCCEEDED',
      events: 1000,
      findings: 3,
    });
    await insertRuleRun(db.pool, { org: acme, ruleId: 'r-built-in', startedAt: minutesAgo(7), durationMs: 70_000, status: 'TIMED_OUT' });
    await insertDestination(db.pool, { id: 'd-splunk', org: acme, kind: 'SPLUNK_HEC', ok: 120, fail: 5, lastDeliveryAt: minutesAgo(1) });
    await insertDeliveries(db.pool, 'd-splunk', 'PENDING', 4, minutesAgo(3));
    await insertDeliveries(db.pool, 'd-splunk', 'DEAD_LETTER', 2, minutesAgo(30));
    await insertJobs(db.pool, { org: globex, kind: 'events', status: 'QUEUED', count: 6, createdAt: minutesAgo(9) });
    await insertJobs(db.pool, { org: globex, kind: 'events', status: 'DEAD', count: 1, createdAt: minutesAgo(90) });
    exporter = await startTestExporter(db.url, { METRICS_TOKEN: 'a-long-enough-scrape-token' });
  });
  afterAll(async () => {
    await exporter?.stop();
    await db?.drop();
  });
  const auth = { Authorization: 'Bearer a-long-enough-scrape-token' };

  it('exposes values that match the seeded rows', async () => {
    const res = await get('/metrics', auth);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const m = parseExposition(await res.text());
    const fresh = (connector: string, tenant: string, provider: string, state: string) =>
      m.get(series('aperio_connector_freshness', { tenant, connector, provider, state }));
    expect(fresh('c-fresh', 'acme', 'okta', 'fresh')).toBe(1);
    expect(fresh('c-stale', 'acme', 'okta', 'stale')).toBe(1);
    expect(fresh('c-stale', 'acme', 'okta', 'fresh')).toBe(0);
    expect(fresh('c-critical', 'globex', 'github', 'critical')).toBe(1);
    expect(fresh('c-never', 'globex', 'github', 'never')).toBe(1);
    expect(
      m.get(series('aperio_connector_last_sync_timestamp_seconds', { tenant: 'acme', connector: 'c-fresh', provider: 'okta' })),
    ).toBeCloseTo(minutesAgo(10).getTime() / 1000, 3);
    expect(
      m.has(series('aperio_connector_last_sync_timestamp_seconds', { tenant: 'globex', connector: 'c-never', provider: 'github' })),
    ).toBe(false);
    expect(m.get(series('aperio_connector_syncs_total', { tenant: 'acme', connector: 'c-stale', provider: 'okta' }))).toBe(1);
    expect(m.get(series('aperio_connector_sync_failures_total', { tenant: 'acme', connector: 'c-stale', provider: 'okta' }))).toBe(1);
    expect(m.get(series('aperio_connector_consecutive_failures', { tenant: 'acme', connector: 'c-stale', provider: 'okta' }))).toBe(1);
    expect(m.get(series('aperio_connector_records_ingested_total', { tenant: 'acme', connector: 'c-fresh', provider: 'okta' }))).toBe(42);
    expect(m.get(series('aperio_connector_sync_duration_seconds_count', { provider: 'okta' }))).toBe(2);
    expect(m.get(series('aperio_connector_sync_duration_seconds_bucket', { provider: 'okta', le: '5.0' }))).toBe(1);
    expect(m.get(series('aperio_connector_freshness_threshold_seconds', { provider: 'okta', level: 'critical' }))).toBe(21600);

    expect(m.get(series('aperio_rule_runs_total', { tenant: 'acme', rule: 'mfa_disabled' }))).toBe(2);
    expect(m.get(series('aperio_rule_run_failures_total', { tenant: 'acme', rule: 'mfa_disabled' }))).toBe(1);
    expect(m.get(series('aperio_rule_events_evaluated_total', { tenant: 'acme', rule: 'mfa_disabled' }))).toBe(1000);
    expect(m.get(series('aperio_rule_findings_opened_total', { tenant: 'acme', rule: 'mfa_disabled' }))).toBe(3);
    expect(m.get(series('aperio_rule_run_duration_seconds_sum', { rule: 'mfa_disabled' }))).toBeCloseTo(70.3, 6);
    expect(m.get(series('aperio_rule_run_duration_seconds_bucket', { rule: 'mfa_disabled', le: '0.5' }))).toBe(1);
    // globex never ran the built-in rule: a scheduled rule that never ran is a miss
    expect(m.get(series('aperio_scheduled_run_missed', { tenant: 'globex', kind: 'rule' }))).toBe(1);
    expect(m.get(series('aperio_scheduled_run_missed', { tenant: 'acme', kind: 'rule' }))).toBe(0);

    const dest = { tenant: 'acme', destination: 'd-splunk', kind: 'SPLUNK_HEC' };
    expect(m.get(series('aperio_siem_deliveries_total', dest))).toBe(125);
    expect(m.get(series('aperio_siem_delivery_failures_total', dest))).toBe(5);
    expect(m.get(series('aperio_siem_queue_depth', { ...dest, status: 'pending' }))).toBe(4);
    expect(m.get(series('aperio_siem_queue_depth', { ...dest, status: 'retrying' }))).toBe(0);
    expect(m.get(series('aperio_siem_dead_letters', dest))).toBe(2);

    expect(m.get(series('aperio_ingestion_jobs', { tenant: 'globex', kind: 'events', status: 'queued' }))).toBe(6);
    expect(m.get(series('aperio_ingestion_dead_jobs', { tenant: 'globex', kind: 'events' }))).toBe(1);
    expect(m.get(series('aperio_ingestion_oldest_queued_timestamp_seconds', { tenant: 'globex', kind: 'events' }))).toBeCloseTo(
      minutesAgo(9).getTime() / 1000,
      3,
    );

    expect(m.get(series('aperio_exporter_database_reachable'))).toBe(1);
    expect(m.get(series('aperio_exporter_collect_success', { collector: 'rules' }))).toBe(1);
    expect(m.get(series('aperio_exporter_series_limited'))).toBe(0);
    expect(m.has('process_resident_memory_bytes{}')).toBe(true);
  });

  describeWithTool('promtool', 'promtool', (promtool) => {
    it('passes promtool check metrics', async () => {
      const text = await (await get('/metrics', auth)).text();
      expect(text).toContain('# TYPE aperio_connector_freshness gauge');
      const run = () => execFileSync(promtool, ['check', 'metrics'], { input: text, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
      expect(run).not.toThrow();
    });
  });

  it('negotiates OpenMetrics, gzip, and answers protobuf-only scrapers with the text format', async () => {
    const om = await get('/metrics', { ...auth, Accept: 'application/openmetrics-text;version=1.0.0,text/plain;q=0.5' });
    expect(om.headers.get('content-type')).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    const omText = await om.text();
    expect(omText.endsWith('# EOF\n')).toBe(true);
    expect(omText.match(/# EOF/g)).toHaveLength(1);
    expect(omText).toContain('# TYPE aperio_rule_runs counter\naperio_rule_runs_total{');
    expect(omText).toContain('# TYPE aperio_connector info\naperio_connector_info{');
    // Served in parts (slices of the classic body around its own lines): the declared length, the same
    // samples as the classic format, and its gzip the same text.
    const omPlain = await get('/metrics', { ...auth, Accept: 'application/openmetrics-text;version=1.0.0', 'Accept-Encoding': 'identity' });
    expect(omPlain.headers.get('content-encoding')).toBeNull();
    const omPlainText = await omPlain.text();
    expect(omPlainText).toBe(omText);
    expect(Number(omPlain.headers.get('content-length'))).toBe(Buffer.byteLength(omPlainText));
    const classic = await (await get('/metrics', { ...auth, 'Accept-Encoding': 'identity' })).text();
    // The process metrics are read per format when rendering: compare the exporter's own series.
    const own = (text: string) => [...parseExposition(text)].filter(([key]) => key.startsWith('aperio_'));
    expect(own(omText).length).toBeGreaterThan(50);
    expect(own(omText)).toEqual(own(classic));
    const omGzip = await fetch(`${exporter.url}/metrics`, {
      headers: { ...auth, Accept: 'application/openmetrics-text;version=1.0.0', 'Accept-Encoding': 'gzip' },
    });
    expect(omGzip.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(exporter.rendered()!.formats.openmetrics.gzip).toString()).toBe(omText);

    const proto = await get('/metrics', {
      ...auth,
      Accept: 'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited',
    });
    expect(proto.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');

    const raw = await fetch(`${exporter.url}/metrics`, { headers: { ...auth, 'Accept-Encoding': 'gzip' } });
    expect(raw.headers.get('content-encoding')).toBe('gzip');
    const plain = await (await get('/metrics', auth)).text();
    // fetch decodes gzip itself: compare with a manual gunzip of the cached body for exactness
    expect(gunzipSync(exporter.rendered()!.formats.prometheus.gzip).toString()).toBe(plain);
  });

  it('requires the bearer token when METRICS_TOKEN is set', async () => {
    const res = await get('/metrics');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await get('/metrics', { Authorization: 'Bearer wrong-token-of-some-length' })).status).toBe(401);
  });

  it('falls back to a coarser detail above the series budget, and says so', async () => {
    // The budget is what tenant detail needs: object detail does not fit it, tenant detail just does.
    const objectSeries = exporter.rendered()!.series;
    const tenantSeries = await (async () => {
      const atTenant = await startTestExporter(db.url, { METRICS_DETAIL: 'tenant' });
      try {
        return atTenant.rendered()!.series;
      } finally {
        await atTenant.stop();
      }
    })();
    expect(tenantSeries).toBeLessThan(objectSeries);
    const limited = await startTestExporter(db.url, { METRICS_SERIES_LIMIT: String(tenantSeries) });
    try {
      const m = parseExposition(await (await fetch(`${limited.url}/metrics`)).text());
      expect(m.get(series('aperio_exporter_series_limited'))).toBe(1);
      expect(m.get(series('aperio_exporter_series', { detail: 'tenant' }))).toBe(tenantSeries);
      expect([...m.keys()].some((k) => k.includes('connector="'))).toBe(false);
      // at tenant detail the freshness state set is counted per tenant and provider
      expect(m.get(series('aperio_connector_freshness', { tenant: 'acme', provider: 'okta', state: 'stale' }))).toBe(1);
      expect(m.get(series('aperio_connector_freshness', { tenant: 'acme', provider: 'okta', state: 'fresh' }))).toBe(1);
      expect(m.get(series('aperio_connector_freshness', { tenant: 'globex', provider: 'github', state: 'never' }))).toBe(1);
      expect(m.get(series('aperio_connector_freshness', { tenant: 'globex', provider: 'github', state: 'critical' }))).toBe(1);
    } finally {
      await limited.stop();
    }
    // One series less and tenant detail no longer fits either: platform detail, with no tenant label.
    const tighter = await startTestExporter(db.url, { METRICS_SERIES_LIMIT: String(tenantSeries - 1) });
    try {
      const m = parseExposition(await (await fetch(`${tighter.url}/metrics`)).text());
      expect(m.get(series('aperio_exporter_series_limited'))).toBe(1);
      expect([...m.keys()].filter((k) => k.startsWith('aperio_exporter_series{'))).toEqual([
        series('aperio_exporter_series', { detail: 'platform' }),
      ]);
      expect([...m.keys()].some((k) => k.includes('tenant="'))).toBe(false);
    } finally {
      await tighter.stop();
    }
  });

  it('aggregates to platform detail with no tenant labels when asked', async () => {
    const platform = await startTestExporter(db.url, { METRICS_DETAIL: 'platform' });
    try {
      const m = parseExposition(await (await fetch(`${platform.url}/metrics`)).text());
      expect([...m.keys()].some((k) => k.includes('tenant="'))).toBe(false);
      expect(m.get(series('aperio_connector_freshness', { provider: 'okta', state: 'fresh' }))).toBe(1);
      expect(m.get(series('aperio_siem_deliveries_total', { kind: 'SPLUNK_HEC' }))).toBe(125);
      expect(m.get(series('aperio_exporter_series_limited'))).toBe(0);
    } finally {
      await platform.stop();
    }
  });
});
