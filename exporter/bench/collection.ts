import type pg from 'pg';
import { freshnessPolicy } from '../src/connectors/freshness';
import { JIT_OFF_SQL } from '../src/db/read-only';
import { SnapshotCollector } from '../src/snapshot/collector';
import type { AnyCollector } from '../src/snapshot/collector-types';
import { ALL_COLLECTORS } from '../src/collectors';
import { emptySnapshot } from '../src/snapshot/empty';

export interface CollectorTiming {
  collector: string;
  rows: number;
  collectMs: number;
  rawSqlMs: number;
}

interface Recorded {
  text: string;
  values: unknown[] | undefined;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Each collector alone (so they do not share the two cores), timed as the exporter runs it: connection,
 * read-only repeatable-read transaction, statement_timeout, queries, row mapping. Next to it, the same SQL
 * statements with the same parameters, recorded from the collector, sent directly on one connection:
 * the time the database and the driver need, which no collector can beat.
 */
export async function timeCollectors(pool: pg.Pool, now: number, repeats: number, statementTimeoutMs: number): Promise<CollectorTiming[]> {
  const out: CollectorTiming[] = [];
  for (const collector of ALL_COLLECTORS) {
    const runner = new SnapshotCollector({
      pool,
      intervalSeconds: 3600,
      statementTimeoutMs,
      initial: emptySnapshot(freshnessPolicy(3600, 6 * 3600)),
      collectors: [collector],
      clock: () => now,
    });
    const recorded = await record(pool, collector, now);
    const collect: number[] = [];
    const raw: number[] = [];
    let rows = 0;
    for (let i = 0; i <= repeats; i++) {
      const snapshot = await runner.refresh();
      const status = snapshot.collections[0];
      if (!status.success) throw new Error(`collector ${collector.name} failed: ${status.error}`);
      const value = snapshot[collector.field];
      rows = Array.isArray(value) ? value.length : 1;
      const rawMs = await runRaw(pool, recorded);
      if (i === 0) continue; // the first round warms the caches
      collect.push(status.durationSeconds * 1000);
      raw.push(rawMs);
    }
    out.push({ collector: collector.name, rows, collectMs: median(collect), rawSqlMs: median(raw) });
  }
  return out;
}

/** The statements a collector sends, captured by running it once on a recording connection. */
async function record(pool: pg.Pool, collector: AnyCollector, now: number): Promise<Recorded[]> {
  const client = await pool.connect();
  const recorded: Recorded[] = [];
  try {
    const recording = new Proxy(client, {
      get(target, prop, receiver) {
        if (prop !== 'query') return Reflect.get(target, prop, receiver);
        // Plain queries and cursors (queryInBatches) alike: the raw run sends the same text in one query.
        return (query: string | { text: string; values?: unknown[] }, values?: unknown[]) => {
          recorded.push(typeof query === 'string' ? { text: query, values } : { text: query.text, values: query.values });
          return target.query(query as string, values);
        };
      },
    });
    await collector.collect(recording, now);
  } finally {
    client.release();
  }
  return recorded;
}

async function runRaw(pool: pg.Pool, statements: Recorded[]): Promise<number> {
  const client = await pool.connect();
  try {
    // Without JIT, as the collectors read (db/read-only.ts); set outside the timed part.
    await client.query('BEGIN');
    await client.query(JIT_OFF_SQL);
    const started = performance.now();
    for (const { text, values } of statements) await client.query(text, values);
    const elapsed = performance.now() - started;
    await client.query('COMMIT');
    return elapsed;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** One full collection of every domain at once, as the exporter's timer runs it. */
export async function timeFullCollection(pool: pg.Pool, now: number, statementTimeoutMs: number): Promise<number> {
  const runner = new SnapshotCollector({
    pool,
    intervalSeconds: 3600,
    statementTimeoutMs,
    initial: emptySnapshot(freshnessPolicy(3600, 6 * 3600)),
    collectors: ALL_COLLECTORS,
    clock: () => now,
  });
  const started = performance.now();
  const snapshot = await runner.refresh();
  const failed = snapshot.collections.filter((c) => !c.success);
  if (failed.length) throw new Error(`collection failed: ${failed.map((c) => `${c.collector}: ${c.error}`).join('; ')}`);
  return performance.now() - started;
}
