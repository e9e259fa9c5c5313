import type { Settings } from '../config/settings';
import { startEmbeddedPostgres, type EmbeddedServer } from '../db/embedded';

/** The database to use: DATABASE_URL, or an embedded server started for this process. */
export async function resolveDatabase(settings: Settings): Promise<{ url: string; embedded: EmbeddedServer | null }> {
  if (settings.DATABASE_URL) return { url: settings.DATABASE_URL, embedded: null };
  const embedded = await startEmbeddedPostgres(settings.DATA_DIR, settings.EMBEDDED_PG_PORT);
  return { url: embedded.url, embedded };
}
