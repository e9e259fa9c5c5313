import { createPool } from '../db/pool';
import { logger } from '../log';
import { RunTailer } from './tailer';
import { createRunTracing } from './tracing';

export interface RunTelemetry {
  stop(): Promise<void>;
}

/**
 * Starts the run tailer when an OTLP endpoint is configured, else returns null and creates nothing.
 * The tailer gets its own one-connection pool: it keeps that session for the advisory lock.
 */
export function startRunTelemetry(databaseUrl: string, env: Record<string, string | undefined> = process.env): RunTelemetry | null {
  const tracing = createRunTracing(env);
  if (!tracing) return null;
  const pool = createPool(databaseUrl, { max: 1, applicationName: 'aperio-exporter-telemetry' });
  const tailer = new RunTailer(pool, tracing);
  tailer.start();
  logger.info({ protocol: tracing.protocol }, 'run telemetry: a span per rule run and connector sync, over OTLP');
  return {
    stop: async () => {
      await tailer.stop();
      // Shutting down the provider flushes what is left; the position of those rows is already saved.
      await tracing.shutdown().catch((err) => logger.warn({ err: (err as Error).message }, 'run telemetry: final flush failed'));
      await pool.end();
    },
  };
}
