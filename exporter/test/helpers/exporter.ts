import { loadSettings } from '../../src/config/settings';
import { startExporter, type Exporter } from '../../src/server/start';
import type { Mount } from '../../src/http/mounts';

/** A real exporter on a free port against a test database. */
export function startTestExporter(
  databaseUrl: string,
  env: Record<string, string> = {},
  options: { clock?: () => number; mounts?: Mount[] } = {},
): Promise<Exporter> {
  const settings = loadSettings({ DATABASE_URL: databaseUrl, PORT: '0', HOST: '127.0.0.1', COLLECT_INTERVAL_SECONDS: '3600', ...env });
  return startExporter({ settings, databaseUrl, ...options });
}
