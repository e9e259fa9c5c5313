import { renderMetrics, wholeBody } from '../src/metrics/render';
import { shardRole } from '../src/metrics/shard';
import { syntheticSnapshot } from './synthetic-snapshot';

/**
 * The series one exporter and each of 4 and 10 shards would expose, at `object` and `tenant` detail, for
 * the bench's synthetic snapshot of a given size (no database): the figures of docs/sharding.md.
 *   npx tsx bench/shard-series.ts [tenants connectors destinations]   (default: the full bench scale)
 */
async function main(): Promise<void> {
  const [tenants = 2_000, connectors = 40_000, destinations = 4_000] = process.argv.slice(2).map(Number);
  const snapshot = syntheticSnapshot({ tenants, connectors, destinations });
  for (const detail of ['object', 'tenant'] as const) {
    const whole = await renderMetrics(snapshot, { detail, seriesLimit: Infinity });
    const mb = (b: Buffer) => (b.length / 1e6).toFixed(1);
    process.stdout.write(
      `${detail} detail, unsharded: ${whole.series} series (${mb(wholeBody(whole.formats.prometheus))} MB, ${mb(whole.formats.prometheus.gzip)} MB gzipped)\n`,
    );
    for (const total of [4, 10]) {
      const counts: number[] = [];
      for (let index = 0; index < total; index++)
        counts.push((await renderMetrics(snapshot, { detail, seriesLimit: Infinity, role: shardRole(index, total, 'whole') })).series);
      process.stdout.write(`  ${total} shards: ${counts.join(', ')}\n`);
    }
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
