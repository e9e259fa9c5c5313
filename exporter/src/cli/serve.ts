import type { Settings } from '../config/settings';
import { UserError } from '../config/user-error';
import { seedDemo } from '../demo/seed';
import { DemoSimulator } from '../demo/simulator';
import { ensureDemoTokens, ensureSharedDemoToken } from '../demo/tokens';
import { blockingFailures, checkSchema } from '../db/doctor';
import { applyCoreFixture, migrate } from '../db/migrate';
import { checkConnection, createPool } from '../db/pool';
import { startExporter } from '../server/start';
import { logger } from '../log';
import { MaintenanceLoop } from '../maintenance/runner';
import { startRunTelemetry } from '../telemetry/start';
import { startMonitors } from '../monitors/start';
import { resolveDatabase } from './database';

/** Starts everything and stops it all again on SIGINT/SIGTERM, leaving no process behind. */
export async function serve(settings: Settings): Promise<void> {
  const stops: (() => Promise<void>)[] = [];
  let demoTokensFile: string | null = null;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    for (const stop of stops.reverse()) await stop().catch((err) => logger.warn({ err: (err as Error).message }, 'error while stopping'));
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGHUP', () => void shutdown('SIGHUP'));

  try {
    const { url, embedded } = await resolveDatabase(settings);
    if (embedded) stops.push(() => embedded.stop());
    const writer = createPool(url, { max: 3, applicationName: 'aperio-exporter-writer' });
    stops.push(() => writer.end());
    await checkConnection(writer, url);
    if (settings.demo) await applyCoreFixture(writer);
    const applied = await migrate(writer);
    if (applied.length) logger.info({ applied }, 'migrations applied');
    const problems = blockingFailures(await checkSchema(writer));
    if (problems.length) {
      throw new UserError(
        `the database does not have what the exporter reads:\n  ${problems.map((p) => `${p.name}: ${p.detail}`).join('\n  ')}`,
        'run `aperio-exporter doctor` for the full report',
      );
    }
    if (settings.demo) {
      if (await seedDemo(writer)) logger.info('demo data seeded');
      demoTokensFile = await ensureDemoTokens(writer, settings.DATA_DIR);
      if (settings.DEMO_API_TOKEN) await ensureSharedDemoToken(writer, settings.DEMO_API_TOKEN);
      const simulator = new DemoSimulator(writer, settings.DEMO_TICK_SECONDS);
      simulator.start();
      stops.push(() => simulator.stop());
    }
    const maintenance = new MaintenanceLoop(writer);
    maintenance.start();
    stops.push(() => maintenance.stop());
    // A span per rule run and connector sync, only when an OTLP endpoint is set (standard OTEL_* variables).
    const telemetry = startRunTelemetry(url);
    if (telemetry) stops.push(() => telemetry.stop());
    const exporter = await startExporter({ settings, databaseUrl: url });
    stops.push(() => exporter.stop());
    // After the first snapshot, so the checks never judge the empty one; not on a shard that holds only
    // its tenants: the checks judge every tenant (the platform replica runs them).
    if (!exporter.role.ownTenantsOnly) stops.push(startMonitors(settings, url, () => exporter.collector.snapshot));
    printBanner(exporter.url, embedded?.dataDir ?? null, settings.demo, demoTokensFile, !exporter.role.ownTenantsOnly);
  } catch (err) {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    throw err;
  }
}

/** `servesStatus`: false on a shard that collects only its tenants, which serves /metrics alone. */
function printBanner(url: string, dataDir: string | null, demo: boolean, demoTokensFile: string | null, servesStatus: boolean): void {
  const lines = [
    '',
    `Aperio Observability exporter is running${demo ? ' with demo data (the simulator keeps it moving)' : ''}:`,
    `  metrics       ${url}/metrics`,
    ...(servesStatus ? [`  status page   ${url}/status`, `  status JSON   ${url}/status.json`] : []),
    `  readiness     ${url}/readyz`,
    ...(dataDir ? [`  PostgreSQL data in ${dataDir} (kept for the next start)`] : []),
    ...(demoTokensFile && servesStatus ? [`  API tokens    ${demoTokensFile} (try ${url}/api/v1/whoami)`] : []),
    'Stop with Ctrl-C.',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
