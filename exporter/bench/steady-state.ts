import type pg from 'pg';
import { liveCollectors } from '../src/collectors';
import { freshnessPolicy } from '../src/connectors/freshness';
import { runMaintenance } from '../src/maintenance/runner';
import { SnapshotCollector } from '../src/snapshot/collector';
import { emptySnapshot } from '../src/snapshot/empty';
import type { Shard } from '../src/metrics/shard';
import type { Scale } from './args';

export interface SteadyStateFigures {
  /** Runs written per interval, at the seeded history's average rate. */
  syncsPerInterval: number;
  ruleRunsPerInterval: number;
  rounds: number;
  /** Whole collections (all collectors at once, as the timer runs them), after each interval's writes. */
  medianMs: number;
  maxMs: number;
  /** The same collection right after a maintenance run (rollups and retention log their moves). */
  afterMaintenanceMs: number;
  /** Per collector, median over the rounds. */
  collectors: { collector: string; medianMs: number }[];
}

const INTERVAL_MS = 15_000;
/** The exporter's default COLLECT_FULL_INTERVAL_SECONDS: the rounds stay before a whole read, and include the rolling re-read's shares. */
const FULL_INTERVAL_MS = 600_000;
const ROUNDS = 8;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * The serving exporter's collections between two full reads: its own collectors (incremental for
 * connectors and rules, runs/incremental.ts, with the rolling re-read's share of each collection where
 * a whole read needs slices) after a first full read, then rounds of one collection
 * interval's writes at the seeded history's average rate, as Aperio's workers make them (one run per
 * statement through the partitioned table, the connection's lastSyncAt updated with it), each followed
 * by one timed collection with the clock an interval on. Halfway, a maintenance run (rollups and
 * retention, which log the totals they move) precedes the round. With a shard, the collectors of a
 * shard that collects only its tenants (SHARD_COLLECTION=own).
 */
export async function timeSteadyState(
  pool: pg.Pool,
  scale: Scale,
  start: number,
  statementTimeoutMs: number,
  shard: Shard | null = null,
): Promise<SteadyStateFigures> {
  const { syncs, ruleRuns } = intervalWrites(scale);
  let now = start;
  const collector = new SnapshotCollector({
    pool,
    intervalSeconds: 3600,
    statementTimeoutMs,
    initial: emptySnapshot(freshnessPolicy(3600, 6 * 3600)),
    collectors: liveCollectors(FULL_INTERVAL_MS, shard),
    clock: () => now,
  });
  await collector.refresh(); // the first read is whole
  const whole: number[] = [];
  const byCollector = new Map<string, number[]>();
  let afterMaintenanceMs = 0;
  for (let round = 0; round < ROUNDS; round++) {
    now += INTERVAL_MS;
    await writeOneInterval(pool, now, syncs, ruleRuns);
    if (round === ROUNDS / 2) await runMaintenance(pool, now);
    const started = performance.now();
    const snapshot = await collector.refresh();
    const elapsed = performance.now() - started;
    const failed = snapshot.collections.filter((c) => !c.success);
    if (failed.length) throw new Error(`collection failed: ${failed.map((c) => `${c.collector}: ${c.error}`).join('; ')}`);
    if (round === ROUNDS / 2) afterMaintenanceMs = elapsed;
    else whole.push(elapsed);
    for (const c of snapshot.collections) byCollector.set(c.collector, [...(byCollector.get(c.collector) ?? []), c.durationSeconds * 1000]);
  }
  return {
    syncsPerInterval: syncs,
    ruleRunsPerInterval: ruleRuns,
    rounds: ROUNDS,
    medianMs: median(whole),
    maxMs: Math.max(...whole),
    afterMaintenanceMs,
    collectors: [...byCollector].map(([name, values]) => ({ collector: name, medianMs: median(values) })),
  };
}

/** How many runs one collection interval brings, at the seeded history's average rate. */
export function intervalWrites(scale: Scale): { syncs: number; ruleRuns: number } {
  const perInterval = (rows: number) => Math.max(1, Math.round((rows / (scale.days * 86_400)) * (INTERVAL_MS / 1000)));
  return { syncs: perInterval(scale.syncRuns), ruleRuns: perInterval(scale.ruleRuns) };
}

/** One interval's writes as Aperio's workers make them: one run per statement, the connection's lastSyncAt with it. */
export async function writeOneInterval(pool: pg.Pool, now: number, syncs: number, ruleRuns: number): Promise<void> {
  const at = new Date(now - 1000);
  const { rows: connections } = await pool.query<{ id: string; org: string; provider: string }>(
    `SELECT id, "organizationId" AS org, provider FROM "IntegrationConnection" ORDER BY random() LIMIT $1`,
    [syncs],
  );
  for (const c of connections) {
    await pool.query(
      `INSERT INTO "ConnectorSyncRun" ("organizationId", "connectionId", provider, trigger, "startedAt", "finishedAt", "durationMs", status, "recordsIngested")
       VALUES ($1, $2, $3, 'SCHEDULE', $4, $4, 900, 'SUCCEEDED', 120)`,
      [c.org, c.id, c.provider, at],
    );
    await pool.query(`UPDATE "IntegrationConnection" SET "lastSyncAt" = $2 WHERE id = $1`, [c.id, at]);
  }
  const { rows: pairs } = await pool.query<{ org: string; rule: string }>(
    `SELECT o.id AS org, r.id AS rule FROM "Organization" o CROSS JOIN "DetectionRule" r
     WHERE r."organizationId" IS NULL AND r.enabled ORDER BY random() LIMIT $1`,
    [ruleRuns],
  );
  for (const p of pairs) {
    await pool.query(
      `INSERT INTO "RuleRun" ("organizationId", "ruleId", trigger, "startedAt", "finishedAt", "durationMs", status, "eventsEvaluated", "findingsOpened")
       VALUES ($1, $2, 'SCHEDULE', $3, $3, 250, 'SUCCEEDED', 1000, 0)`,
      [p.org, p.rule, at],
    );
  }
}
