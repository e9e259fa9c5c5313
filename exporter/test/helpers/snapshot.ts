import type pg from 'pg';
import { freshnessPolicy } from '../../src/connectors/freshness';
import { ALL_COLLECTORS } from '../../src/collectors';
import { SnapshotCollector } from '../../src/snapshot/collector';
import { emptySnapshot } from '../../src/snapshot/empty';

export function testCollector(pool: pg.Pool, options: { clock?: () => number; statementTimeoutMs?: number } = {}): SnapshotCollector {
  return new SnapshotCollector({
    pool,
    intervalSeconds: 15,
    statementTimeoutMs: options.statementTimeoutMs ?? 5_000,
    initial: emptySnapshot(freshnessPolicy(3600, 6 * 3600)),
    collectors: ALL_COLLECTORS,
    clock: options.clock,
  });
}
