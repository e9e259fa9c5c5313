import { forkExporter, nextMessage, stopExporter } from './scrape';
import type { CollectionReport } from './exporter-process';

export interface ShardFigures {
  /** The shard's number, or "platform" (the replica beside shards that collect only their tenants). */
  shard: string;
  total: number;
  /** SHARD_COLLECTION: every tenant (whole) or the shard's own. */
  collection: 'whole' | 'own';
  /** One whole collection (after the one at start), with its rendering. */
  collectionMs: number;
  rssMb: number;
  series: number;
  detail: string;
}

/**
 * `total` shards (SHARD, TOTAL_SHARDS, SHARD_COLLECTION) started one after the other on the same
 * database, each in a process of its own and measured alone, as each would run on a host of its own:
 * one whole collection after the one at start, its RSS and the series it exposes. With `own`, the
 * platform replica (SHARD=platform) that goes with such shards is measured too.
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
    });
    try {
      await nextMessage<{ url: string }>(exporter, (m) => typeof m === 'object' && m !== null && 'url' in m);
      const collected = nextMessage<CollectionReport>(exporter, (m) => typeof m === 'object' && m !== null && 'collectionMs' in m);
      exporter.send({ collect: 1 });
      const report = await collected;
      out.push({
        shard,
        total,
        collection: shard === 'platform' ? 'whole' : collection,
        collectionMs: report.collectionMs,
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
