import { gunzipSync } from 'node:zlib';
import { syntheticSnapshot } from '../../bench/synthetic-snapshot';
import { renderMetrics, wholeBody } from '../../src/metrics/render';
import { parseExposition, series as key } from '../helpers/exposition';

// A snapshot of 30 tenants and 600 connectors built in memory: the renderer is a pure function of it.
const snapshot = syntheticSnapshot({ tenants: 30, connectors: 600, destinations: 90 }, Date.UTC(2026, 10, 26, 12));

const render = async (detail: 'object' | 'tenant' | 'platform', seriesLimit: number) => {
  const rendered = await renderMetrics(snapshot, { detail, seriesLimit });
  return { rendered, series: parseExposition(wholeBody(rendered.formats.prometheus).toString()) };
};
const total = (series: Map<string, number>, name: string) =>
  [...series].filter(([k]) => k.startsWith(`${name}{`)).reduce((sum, [, value]) => sum + value, 0);
const domainLines = (series: Map<string, number>) => [...series.keys()].filter((key) => !key.startsWith('aperio_exporter_')).length;

describe('rendering at a detail level within the series budget', () => {
  it('renders every object when the budget allows, and counts exactly the lines it wrote', async () => {
    const { rendered, series } = await render('object', 1_000_000);
    expect(rendered.detail).toBe('object');
    expect(rendered.limited).toBe(false);
    expect(rendered.series).toBe(domainLines(series));
    expect([...series.keys()].filter((key) => key.startsWith('aperio_connector_info{'))).toHaveLength(600);
  });

  it('falls back to tenant detail with the same totals, and without per-object families', async () => {
    const object = await render('object', 1_000_000);
    const tenant = await render('object', object.rendered.series - 1);
    expect(tenant.rendered.detail).toBe('tenant');
    expect(tenant.rendered.limited).toBe(true);
    expect(tenant.rendered.series).toBe(domainLines(tenant.series));
    expect(tenant.rendered.series).toBeLessThan(object.rendered.series);
    expect([...tenant.series.keys()].some((key) => key.includes('connector="') || key.includes('destination="'))).toBe(false);
    expect([...tenant.series.keys()].some((key) => key.startsWith('aperio_connector_info'))).toBe(false);
    for (const name of [
      'aperio_connector_syncs_total',
      'aperio_rule_runs_total',
      'aperio_siem_deliveries_total',
      'aperio_connector_freshness',
      'aperio_ingestion_jobs',
    ]) {
      expect(total(tenant.series, name)).toBe(total(object.series, name));
      expect(total(tenant.series, name)).toBeGreaterThan(0);
    }
    // max/min merges keep the extreme of the merged objects
    const newest = Math.max(
      ...snapshot.connectors.filter((c) => c.tenant === 'tenant-00003' && c.provider === 'okta').map((c) => c.lastSyncAt! / 1000),
    );
    const oldest = Math.min(
      ...snapshot.connectors.filter((c) => c.tenant === 'tenant-00003' && c.provider === 'okta').map((c) => c.lastSyncAt! / 1000),
    );
    expect(tenant.series.get('aperio_connector_last_sync_timestamp_seconds{provider="okta",tenant="tenant-00003"}')).toBe(oldest);
    expect(newest).toBeGreaterThan(oldest);
  });

  it('always keeps the coarsest detail, even over the budget', async () => {
    const { rendered, series } = await render('object', 1);
    expect(rendered.detail).toBe('platform');
    expect(rendered.limited).toBe(true);
    expect(rendered.series).toBe(domainLines(series));
    expect([...series.keys()].some((key) => key.includes('tenant="'))).toBe(false);
    expect(series.get(key('aperio_exporter_series_limited'))).toBe(1);
  });

  it('starts where the previous rendering settled, and finds the finer detail again when it fits', async () => {
    const object = await render('object', 1_000_000);
    expect(object.rendered.nextStartAt).toBe('object');
    const limit = object.rendered.series - 1;
    const first = await renderMetrics(snapshot, { detail: 'object', seriesLimit: limit });
    expect(first.nextStartAt).toBe('tenant');
    const next = await renderMetrics(snapshot, { detail: 'object', seriesLimit: limit, startAt: first.nextStartAt });
    expect(next.detail).toBe('tenant');
    expect(wholeBody(next.formats.prometheus).equals(wholeBody(first.formats.prometheus))).toBe(true);
    // the budget was raised (or the dataset shrank): one more rendering at tenant detail says object fits
    const roomy = await renderMetrics(snapshot, { detail: 'object', seriesLimit: 1_000_000, startAt: 'tenant' });
    expect(roomy.detail).toBe('tenant');
    expect(roomy.nextStartAt).toBe('object');
    const back = await renderMetrics(snapshot, { detail: 'object', seriesLimit: 1_000_000, startAt: roomy.nextStartAt });
    expect(back.detail).toBe('object');
    expect(wholeBody(back.formats.prometheus).equals(wholeBody(object.rendered.formats.prometheus))).toBe(true);
    // never finer than requested, whatever the hint
    expect((await renderMetrics(snapshot, { detail: 'platform', seriesLimit: 1_000_000, startAt: 'object' })).detail).toBe('platform');
  });

  it('renders the same bytes for the same snapshot, in both formats', async () => {
    const a = await renderMetrics(snapshot, { detail: 'tenant', seriesLimit: 1_000_000 });
    const b = await renderMetrics(snapshot, { detail: 'tenant', seriesLimit: 1_000_000 });
    expect(wholeBody(a.formats.prometheus).equals(wholeBody(b.formats.prometheus))).toBe(true);
    const open = wholeBody(a.formats.openmetrics).toString();
    expect(open.endsWith('# EOF\n')).toBe(true);
    expect(open).toContain('# TYPE aperio_connector_syncs counter');
    expect(wholeBody(a.formats.prometheus).toString()).toContain('# TYPE aperio_connector_syncs_total counter');
  });

  it('holds the sample lines once: OpenMetrics is slices of the classic body around its own HELP/TYPE lines', async () => {
    const { formats } = await renderMetrics(snapshot, { detail: 'object', seriesLimit: 1_000_000 });
    const [classic] = formats.prometheus.parts;
    const open = wholeBody(formats.openmetrics);
    expect(formats.prometheus.parts).toHaveLength(1);
    expect(open.length).toBe(formats.openmetrics.length);
    expect(parseExposition(open.toString())).toEqual(parseExposition(classic.toString()));
    const shared = formats.openmetrics.parts.filter((part) => part.buffer === classic.buffer);
    const sharedBytes = shared.reduce((sum, part) => sum + part.length, 0);
    expect(sharedBytes / open.length).toBeGreaterThan(0.95);
    expect(gunzipSync(formats.openmetrics.gzip).equals(open)).toBe(true);
    expect(gunzipSync(formats.prometheus.gzip).equals(classic)).toBe(true);
  });
});
