import { exporterFamilies } from '../../src/server/self-metrics';
import { DOMAIN_FAMILIES } from '../../src/metrics/catalogue';
import type { MetricFamily } from '../../src/metrics/family';
import { dashboardQueries, metricNames, ruleQueries } from './queries';

/** The series names a family renders: counters get `_total`, info `_info`, histograms their three series. */
function exposedNames(family: MetricFamily): string[] {
  switch (family.type) {
    case 'counter':
      return [`${family.name}_total`];
    case 'info':
      return [`${family.name}_info`];
    case 'histogram':
      return ['_bucket', '_sum', '_count'].map((suffix) => family.name + suffix);
    default:
      return [family.name];
  }
}

const families = [...DOMAIN_FAMILIES, ...exporterFamilies({ series: 0, detail: 'object', limited: false })];
const exposed = new Map(families.flatMap((f) => exposedNames(f).map((name) => [name, f.name] as const)));
// prom-client's default process metrics, which the self-health dashboard reads.
const PROCESS_METRICS = ['process_resident_memory_bytes', 'process_cpu_seconds_total'];

describe('metric names in dashboards and rules', () => {
  const dashboards = dashboardQueries();
  const rules = ruleQueries();

  test('every metric a dashboard or rule reads is exposed by the exporter', () => {
    const unknown = [...dashboards, ...rules].flatMap((q) =>
      metricNames(q.expr)
        .filter((name) => !exposed.has(name) && !PROCESS_METRICS.includes(name))
        .map((name) => `${q.source}: ${name}`),
    );
    expect(unknown).toEqual([]);
  });

  test('every metric family the exporter exposes is on a dashboard panel or in a rule', () => {
    const used = new Set([...dashboards, ...rules].flatMap((q) => metricNames(q.expr)).map((name) => exposed.get(name)));
    expect(families.map((f) => f.name).filter((name) => !used.has(name))).toEqual([]);
  });

  test('the name extraction sees through selectors, ranges and functions', () => {
    expect(metricNames('sum by (rule) (rate(aperio_rule_runs_total{tenant=~"$tenant"}[5m])) / aperio_x')).toEqual([
      'aperio_rule_runs_total',
      'aperio_x',
    ]);
    expect(metricNames('time() - aperio_exporter_snapshot_timestamp_seconds > 300')).toEqual([
      'aperio_exporter_snapshot_timestamp_seconds',
    ]);
  });
});
