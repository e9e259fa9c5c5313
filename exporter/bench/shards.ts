import { forkExporter, nextMessage, stopExporter } from './scrape';
import type { CollectionReport } from './exporter-process';

export interface ShardFigures {
  shard: number;
  total: number;
  /** One whole collection (after the one at start), with its rendering. */
  collectionMs: number;
  rssMb: number;
  series: number;
  detail: string;
}

/**
 * `total` shards (SHARD, TOTAL_SHARDS) started one after the other on the same database, each in a
 * process of its own and measured alone, as each would run on a host of its own: one whole collection
 * after the one at start, its RSS and the series it exposes.
 */
export async function measureShards(databaseUrl: string, total: number, statementTimeoutMs: number): Promise<ShardFigures[]> {
  const out: ShardFigures[] = [];
  for (let shard = 0; shard < total; shard++) {
    const exporter = forkExporter([databaseUrl, String(statementTimeoutMs)], ['--expose-gc'], {
      BENCH_SHARD: String(shard),
      BENCH_TOTAL_SHARDS: String(total),
    });
    try {
      await nextMessage<{ url: string }>(exporter, (m) => typeof m === 'object' && m !== null && 'url' in m);
      const collected = nextMessage<CollectionReport>(exporter, (m) => typeof m === 'object' && m !== null && 'collectionMs' in m);
      exporter.send({ collect: 1 });
      const report = await collected;
      out.push({ shard, total, collectionMs: report.collectionMs, rssMb: report.rssMb, series: report.series, detail: report.detail });
    } finally {
      await stopExporter(exporter);
    }
  }
  return out;
}
