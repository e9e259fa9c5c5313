import type pg from 'pg';
import { parseMonitorsConfig, type MonitorsConfig } from '../../src/monitors/config';
import { MonitorEngine } from '../../src/monitors/engine';
import type { SnapshotCollector } from '../../src/snapshot/collector';
import type { Snapshot } from '../../src/snapshot/types';
import { testCollector } from '../helpers/snapshot';

/** A clock the test moves by hand; every collector and engine built here reads it. */
export class TestClock {
  constructor(public at: number) {}
  readonly now = (): number => this.at;
  advance(ms: number): void {
    this.at += ms;
  }
}

/** Every check opens at once and resolves after a minute clear, unless a test says otherwise. */
export const TEST_CONFIG_YAML = `
checks:
  connector_stale: { for: 0s, recovery: 1m }
  connector_failing: { for: 0s, recovery: 1m, consecutive_failures: 3 }
  siem_dead_letter: { for: 0s, recovery: 1m, window: 5m }
  ingestion_backlog: { for: 1m, recovery: 1m, oldest_queued: 2m, depth: 100 }
  rule_failing: { for: 0s, recovery: 1m, window: 5m, min_runs: 3 }
  rule_slow: { for: 0s, recovery: 1m, window: 5m, p95: 60s, min_runs: 3 }
  schedule_missed: { for: 0s, recovery: 1m, timezone: UTC }
  exporter_stale_data: { for: 0s, recovery: 1m, max_age: 5m }
`;
export const testConfig = (): MonitorsConfig => parseMonitorsConfig(TEST_CONFIG_YAML, 'test');

export interface Harness {
  clock: TestClock;
  collector: SnapshotCollector;
  engine: MonitorEngine;
  /** Collects a snapshot at the clock's time, then evaluates it. */
  cycle(): ReturnType<MonitorEngine['cycle']>;
}

export function harness(
  pool: pg.Pool,
  clock: TestClock,
  options: { config?: MonitorsConfig; snapshot?: (s: Snapshot) => Snapshot } = {},
): Harness {
  const collector = testCollector(pool, { clock: clock.now });
  const view = options.snapshot ?? ((s: Snapshot) => s);
  const engine = new MonitorEngine({
    pool,
    getSnapshot: () => view(collector.snapshot),
    config: options.config ?? testConfig(),
    intervalSeconds: 15,
    clock: clock.now,
  });
  return {
    clock,
    collector,
    engine,
    cycle: async () => {
      await collector.refresh();
      return engine.cycle();
    },
  };
}

export interface FindingRow {
  id: string;
  organizationId: string | null;
  title: string;
  description: string;
  severity: string;
  status: string;
  category: string;
  dedupKey: string;
  createdAt: Date;
  updatedAt: Date;
  resolvedAt: Date | null;
}

export async function findings(pool: pg.Pool, category?: string): Promise<FindingRow[]> {
  const { rows } = await pool.query<FindingRow>(
    `SELECT * FROM "Finding" WHERE ($1::text IS NULL OR category = $1) ORDER BY "createdAt", id`,
    [category ?? null],
  );
  return rows;
}

/** The lifecycle every check must show for one subject: exactly one row, opened, updated, resolved. */
export function expectOneResolved(rows: FindingRow[], dedupKey: string): FindingRow {
  const mine = rows.filter((r) => r.dedupKey === dedupKey);
  if (mine.length !== 1) throw new Error(`expected one finding for ${dedupKey}, found ${mine.length}`);
  const row = mine[0];
  if (row.status !== 'RESOLVED' || !row.resolvedAt) throw new Error(`finding ${dedupKey} is ${row.status}, not resolved`);
  return row;
}
