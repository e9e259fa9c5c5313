import { loadSettings } from '../src/config/settings';
import { startExporter, type Exporter } from '../src/server/start';

/** A real exporter on a free loopback port, collecting only when the bench asks (its timer is an hour). */
export function startBenchExporter(databaseUrl: string, statementTimeoutMs: number): Promise<Exporter> {
  const settings = loadSettings({
    DATABASE_URL: databaseUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    COLLECT_INTERVAL_SECONDS: '3600',
    // Every collection the bench asks for reads whole (the scrapes are measured during the heaviest one),
    // unless a measurement of the steady state asks otherwise.
    COLLECT_FULL_INTERVAL_SECONDS: process.env.BENCH_COLLECT_FULL_INTERVAL_SECONDS ?? '0',
    // bench/shards.ts starts shards through these.
    SHARD: process.env.BENCH_SHARD ?? '0',
    TOTAL_SHARDS: process.env.BENCH_TOTAL_SHARDS ?? '1',
    SHARD_COLLECTION: process.env.BENCH_SHARD_COLLECTION ?? 'whole',
    STATEMENT_TIMEOUT_MS: String(statementTimeoutMs),
    LOG_LEVEL: 'warn',
  });
  return startExporter({ settings, databaseUrl });
}
