import type { Settings } from '../config/settings';
import { createPool } from '../db/pool';
import type { Snapshot } from '../snapshot/types';
import { loadMonitorsConfig } from './config';
import { MonitorEngine } from './engine';

/**
 * Starts the self-monitoring engine next to a running exporter: its own small pool on the primary
 * (the leader lock holds one connection for as long as this replica leads). Returns the stop function.
 */
export function startMonitors(settings: Settings, databaseUrl: string, getSnapshot: () => Snapshot): () => Promise<void> {
  const config = loadMonitorsConfig(settings.MONITORS_CONFIG);
  const pool = createPool(databaseUrl, { max: 2, applicationName: 'aperio-exporter-monitors' });
  const engine = new MonitorEngine({ pool, getSnapshot, config, intervalSeconds: settings.COLLECT_INTERVAL_SECONDS });
  engine.start();
  return async () => {
    await engine.stop();
    await pool.end();
  };
}
