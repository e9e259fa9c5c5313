import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { forkExporter, nextMessage, stopExporter } from './scrape';
import type { CollectionReport, Ready } from './exporter-process';

/** The exporter's defaults, which the shards run with: a collection every 15 s, every object read again within 600 s. */
const INTERVAL_MS = 15_000;
const FULL_INTERVAL_SECONDS = '600';
/**
 * The shards' NODE_OPTIONS as the sharded overlay's StatefulSet sets them: the bench's shards run as
 * deployed (the platform replica, the base Deployment's pods, without).
 */
export const SHARD_NODE_OPTIONS: string = (() => {
  const file = path.join(__dirname, '..', '..', 'deploy', 'kubernetes', 'sharded', 'statefulset.yaml');
  const env = YAML.parse(fs.readFileSync(file, 'utf8')).spec.template.spec.containers[0].env as { name: string; value?: string }[];
  const value = env.find((e) => e.name === 'NODE_OPTIONS')?.value;
  if (value === undefined) throw new Error(`${file} sets no NODE_OPTIONS for the shards`);
  return value;
})();
/** Collections measured per replica after its start: two minutes of its timer. */
export const SHARD_COLLECTIONS = 8;

export interface ShardFigures {
  /** The shard's number, or "platform" (the replica beside shards that collect only their tenants). */
  shard: string;
  total: number;
  /** SHARD_COLLECTION: every tenant (whole) or the shard's own. */
  collection: 'whole' | 'own';
  /** The start, whose first collection reads everything, and the peak RSS meanwhile. */
  readyMs: number;
  readyRssMb: number;
  /** The collections after it, each begun 15 s after the one before, with their rendering: median and longest. */
  medianMs: number;
  maxMs: number;
  /** Peak RSS during those collections. */
  rssMb: number;
  series: number;
  detail: string;
}

/**
 * `total` shards (SHARD, TOTAL_SHARDS, SHARD_COLLECTION) started one after the other on the same
 * database, each in a process of its own and measured alone, as each would run on a host of its own,
 * with the exporter's default intervals: its start (the whole first read), then `SHARD_COLLECTIONS`
 * collections 15 s apart, which re-read what changed and their share of the rolling re-read
 * (runs/incremental.ts), their RSS and the series exposed. With `own`, the platform replica
 * (SHARD=platform) that goes with such shards is measured too.
 */
export async function measureShards(
  databaseUrl: string,
  total: number,
  statementTimeoutMs: number,
  collection: 'whole' | 'own',
): Promise<ShardFigures[]> {
  const out: ShardFigures[] = [];
  const replicas = Array.from({ length: total }, (_, i) => String(i));
  if (collection === 'own') replicas.push('platform');
  for (const shard of replicas) {
    const exporter = forkExporter([databaseUrl, String(statementTimeoutMs)], ['--expose-gc'], {
      BENCH_SHARD: shard,
      BENCH_TOTAL_SHARDS: String(total),
      BENCH_SHARD_COLLECTION: shard === 'platform' ? 'whole' : collection,
      BENCH_COLLECT_FULL_INTERVAL_SECONDS: FULL_INTERVAL_SECONDS,
      ...(shard === 'platform' ? {} : { NODE_OPTIONS: [process.env.NODE_OPTIONS, SHARD_NODE_OPTIONS].filter(Boolean).join(' ') }),
    });
    try {
      const ready = await nextMessage<Ready>(exporter, (m) => typeof m === 'object' && m !== null && 'url' in m);
      const collected = nextMessage<CollectionReport>(exporter, (m) => typeof m === 'object' && m !== null && 'collectionMs' in m);
      exporter.send({ collect: SHARD_COLLECTIONS, everyMs: INTERVAL_MS });
      const report = await collected;
      out.push({
        shard,
        total,
        collection: shard === 'platform' ? 'whole' : collection,
        readyMs: ready.readyMs,
        readyRssMb: ready.readyRssMb,
        medianMs: report.medianCollectionMs,
        maxMs: report.maxCollectionMs,
        rssMb: report.rssMb,
        series: report.series,
        detail: report.detail,
      });
    } finally {
      await stopExporter(exporter);
    }
  }
  return out;
}
