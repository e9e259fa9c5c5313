import { connectorFamilies } from '../../src/connectors/metrics';
import type { MetricFamily, Sample } from '../../src/metrics/family';
import { ruleFamilies } from '../../src/rules/metrics';
import { rollUp } from '../../src/runs/rollup';
import type { Snapshot } from '../../src/snapshot/types';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { insertConnector, insertRule, insertRuleRun, insertSync, insertTenant } from '../helpers/fixtures';
import { testCollector } from '../helpers/snapshot';

const NOW = Date.parse('2026-11-26T12:00:00Z');
const minutesAgo = (m: number) => new Date(NOW - m * 60_000);

function samplesOf(families: MetricFamily[], name: string, snapshot: Snapshot): Sample[] {
  return [...families.find((f) => f.name === name)!.samples(snapshot)];
}

/** The figures of one histogram series: _count, the +Inf bucket, _sum (seconds). */
function histogram(samples: Sample[], label: string, value: string) {
  const mine = samples.filter((s) => s.labels[label] === value);
  return {
    count: mine.find((s) => s.suffix === '_count')!.value,
    inf: mine.find((s) => s.suffix === '_bucket' && s.labels.le === '+Inf')!.value,
    sum: mine.find((s) => s.suffix === '_sum')!.value,
  };
}

/** Two runs with a duration, one SKIPPED and one that never finished (neither has a duration), per rule and per connector. */
describe('duration histograms count observations, the counters count runs', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    const acme = await insertTenant(db.pool, 'acme');
    await insertRule(db.pool, { id: 'r1', org: null, key: 'mfa_disabled', interval: 300 });
    await insertConnector(db.pool, { id: 'c1', org: acme, provider: 'okta', lastSyncAt: minutesAgo(100) });
    const runs: [number, number | null, string][] = [
      [150, 120, 'SUCCEEDED'],
      [140, 2_000, 'FAILED'],
      [130, null, 'SKIPPED'],
      [125, null, 'TIMED_OUT'],
    ];
    for (const [ago, durationMs, status] of runs) {
      await insertRuleRun(db.pool, { org: acme, ruleId: 'r1', startedAt: minutesAgo(ago), durationMs, status });
      await insertSync(db.pool, {
        connectionId: 'c1',
        org: acme,
        provider: 'okta',
        startedAt: minutesAgo(ago),
        durationMs: durationMs && durationMs * 10,
        status,
      });
    }
  });
  afterAll(() => db.drop());

  const check = (snapshot: Snapshot) => {
    const rule = snapshot.rules.find((r) => r.ruleId === 'r1')!;
    expect(rule.totals).toMatchObject({ runs: 4, failures: 2, durationCount: 2, durationMsSum: 2_120 });
    expect(samplesOf(ruleFamilies, 'aperio_rule_runs', snapshot).find((s) => s.labels.rule === 'mfa_disabled')!.value).toBe(4);
    expect(histogram(samplesOf(ruleFamilies, 'aperio_rule_run_duration_seconds', snapshot), 'rule', 'mfa_disabled')).toEqual({
      count: 2,
      inf: 2,
      sum: 2.12,
    });

    const sync = snapshot.connectors.find((c) => c.id === 'c1')!;
    expect(sync.totals).toMatchObject({ runs: 4, failures: 2, durationCount: 2, durationMsSum: 21_200 });
    expect(samplesOf(connectorFamilies, 'aperio_connector_syncs', snapshot).find((s) => s.labels.connector === 'c1')!.value).toBe(4);
    expect(histogram(samplesOf(connectorFamilies, 'aperio_connector_sync_duration_seconds', snapshot), 'provider', 'okta')).toEqual({
      count: 2,
      inf: 2,
      sum: 21.2,
    });
  };

  it('from the raw rows, before any rollup', async () => {
    check(await testCollector(db.pool, { clock: () => NOW }).refresh());
  });

  it('from the hourly rollups and running totals, after the rollup', async () => {
    await rollUp(db.pool, 'RuleRun', NOW);
    await rollUp(db.pool, 'ConnectorSyncRun', NOW);
    const hourly = await db.pool.query<{ runs: number; durationCount: number }>(
      `SELECT sum(runs)::int AS runs, sum("durationCount")::int AS "durationCount" FROM "RuleRunHourly"`,
    );
    expect(hourly.rows[0]).toEqual({ runs: 4, durationCount: 2 });
    check(await testCollector(db.pool, { clock: () => NOW }).refresh());
  });
});
