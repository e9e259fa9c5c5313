import { createServer, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createPrincipalResolver } from '../auth/resolver';
import type { PeriodicTask } from '../background/periodic-task';
import type { Settings } from '../config/settings';
import { UserError } from '../config/user-error';
import { freshnessPolicy } from '../connectors/freshness';
import { createPool, type Pool } from '../db/pool';
import { createApp } from '../http/app';
import { answerClientErrors } from '../http/client-errors';
import { metricsAccess, metricsExposureWarning } from '../http/metrics-auth';
import { withFastPaths, type FastPath } from '../http/fast-path';
import { metricsFastPath, metricsHandler } from '../http/metrics-route';
import { keepHeapNearLiveSize } from './heap';
import type { Mount } from '../http/mount';
import { MOUNTS } from '../http/mounts';
import { logger } from '../log';
import { createProcessRegistries } from '../metrics/process-registry';
import { renderMetrics, type RenderedMetrics } from '../metrics/render';
import { collectedShard, shardRole, type ShardRole } from '../metrics/shard';
import { mountOwnShardNotice } from '../http/own-shard';
import { liveCollectors } from '../collectors';
import { SnapshotCollector } from '../snapshot/collector';
import { emptySnapshot } from '../snapshot/empty';
import { loadScheduleSettings } from '../schedules/settings-file';
import { statusConfigFromSettings } from '../status/config';
import type { Snapshot } from '../snapshot/types';
import { VerifyLoop } from '../verify/loop';
import { verifyOptions } from '../verify/options';

export interface Exporter {
  url: string;
  /** The collector's pool. */
  pool: Pool;
  /** Every pool of the exporter, by the work it serves, to watch all of its database use. */
  pools: Record<'collector' | 'api' | 'export' | 'auth', Pool>;
  collector: SnapshotCollector;
  /** Which shard this replica is, what it collects and serves (SHARD, TOTAL_SHARDS, SHARD_COLLECTION). */
  role: ShardRole;
  rendered(): RenderedMetrics | null;
  /** The periodic verify, when VERIFY_INTERVAL_SECONDS > 0. */
  verifier(): VerifyLoop | null;
  stop(): Promise<void>;
}

export interface ExporterOptions {
  settings: Settings;
  databaseUrl: string;
  clock?: () => number;
  /** Defaults to every domain's routes (http/mounts.ts). */
  mounts?: Mount[];
}

/** Wires one exporter: pool → collector → snapshot → renderers → HTTP. */
export async function startExporter({
  settings,
  databaseUrl,
  clock = Date.now,
  mounts: given = MOUNTS,
}: ExporterOptions): Promise<Exporter> {
  keepHeapNearLiveSize();
  const role = shardRole(settings.SHARD, settings.TOTAL_SHARDS, settings.SHARD_COLLECTION);
  // A shard that holds only its tenants cannot answer what needs them all: the status page and the API.
  const mounts = role.ownTenantsOnly ? [mountOwnShardNotice] : given;
  const access = metricsAccess(settings);
  const exposure = metricsExposureWarning(settings, access);
  if (exposure) logger.warn(exposure);
  // One pool per kind of work, so that no kind can starve another: the collector keeps /metrics and the
  // status page fresh whatever the API load, token lookups never wait behind exports, and a request that
  // cannot get a connection of its pool in time is a 503 with Retry-After (api/errors.ts), never a 500.
  const readUrl = settings.DATABASE_READ_URL ?? databaseUrl;
  const pool = createPool(readUrl, { max: 6, applicationName: 'aperio-exporter-collector' });
  const wait = settings.DATABASE_WAIT_MS;
  const apiPool = createPool(readUrl, { max: 4, applicationName: 'aperio-exporter-api', connectionTimeoutMillis: wait });
  // An export runs one batch query at a time: two connections serve many exports, which take turns.
  const exportPool = createPool(readUrl, { max: 2, applicationName: 'aperio-exporter-export', connectionTimeoutMillis: wait });
  // Token checks and lastUsedAt go to the primary: a replica could still accept a token revoked a moment
  // ago, and it cannot take writes.
  const authPool = createPool(settings.DATABASE_URL ?? databaseUrl, {
    max: 2,
    applicationName: 'aperio-exporter-auth',
    connectionTimeoutMillis: wait,
  });
  const pools = { collector: pool, api: apiPool, export: exportPool, auth: authPool };
  const resolvePrincipal = createPrincipalResolver(authPool, clock);
  const freshness = freshnessPolicy(settings.FRESHNESS_WARN_SECONDS, settings.FRESHNESS_ERROR_SECONDS, settings.FRESHNESS_CONFIG);
  const processRegistries = createProcessRegistries();
  let rendered: RenderedMetrics | null = null;
  let verifier: VerifyLoop | null = null;
  // One rendering at a time: a new snapshot and a finished verify both render, in turn.
  let rendering: Promise<void> = Promise.resolve();
  const render = (snapshot: Snapshot) =>
    (rendering = rendering.then(async () => {
      try {
        rendered = await renderMetrics(snapshot, {
          detail: settings.METRICS_DETAIL,
          seriesLimit: settings.METRICS_SERIES_LIMIT,
          startAt: rendered?.nextStartAt,
          processRegistries,
          verify: verifier?.status ?? null,
          role,
        });
      } catch (err) {
        logger.error({ err }, 'rendering /metrics failed; serving the previous rendering');
      }
    }));
  const collector = new SnapshotCollector({
    pool,
    intervalSeconds: settings.COLLECT_INTERVAL_SECONDS,
    statementTimeoutMs: settings.STATEMENT_TIMEOUT_MS,
    initial: emptySnapshot(freshness, statusConfigFromSettings(settings), clock(), loadScheduleSettings(settings.MONITORS_CONFIG)),
    collectors: liveCollectors(settings.COLLECT_FULL_INTERVAL_SECONDS * 1000, collectedShard(role)),
    clock,
    onSnapshot: render,
  });
  const getSnapshot = () => collector.snapshot;
  // Loops the mounted routes own: started with the collector, stopped before the pools end.
  const background: PeriodicTask[] = [];
  // Requests the server answers before Express (http/fast-path.ts): scrapes, and the routes' own.
  const fastPaths: FastPath[] = [metricsFastPath(metricsHandler(() => rendered, access))];
  const app = createApp({
    getSnapshot,
    getRendered: () => rendered,
    metricsAccess: access,
    trustedProxies: settings.TRUSTED_PROXIES,
    intervalSeconds: settings.COLLECT_INTERVAL_SECONDS,
    clock,
    mount: (a) =>
      mounts.forEach((mount) =>
        mount(a, {
          getSnapshot,
          pool: apiPool,
          exportPool,
          settings,
          clock,
          resolvePrincipal,
          background: (task) => background.push(task),
          fastPath: (path) => fastPaths.push(path),
        }),
      ),
  });
  const server = await new Promise<Server>((resolve, reject) => {
    // The app keeps its own route for every fast-pathed request: HEAD, and whatever a fast path declines.
    const handler = withFastPaths(fastPaths, app);
    const s = access.tls ? createTlsServer({ cert: access.tls.cert, key: access.tls.key }, handler) : createServer(handler);
    answerClientErrors(s);
    s.listen(settings.PORT, settings.HOST, () => resolve(s));
    s.once('error', reject);
  }).catch((err: NodeJS.ErrnoException) => {
    throw new UserError(`cannot listen on ${settings.HOST}:${settings.PORT}: ${err.code ?? err.message}`, 'choose another PORT');
  });
  for (const task of background) task.start();
  await collector.refresh();
  collector.start();
  if (settings.VERIFY_INTERVAL_SECONDS > 0) {
    verifier = new VerifyLoop(pool, settings.VERIFY_INTERVAL_SECONDS, { ...verifyOptions(settings), clock }, () =>
      render(collector.snapshot),
    );
    verifier.start();
  }
  const address = server.address() as AddressInfo;
  const host = settings.HOST === '0.0.0.0' || settings.HOST === '::' ? '127.0.0.1' : settings.HOST;
  return {
    url: `${access.tls ? 'https' : 'http'}://${host}:${address.port}`,
    pool,
    pools,
    collector,
    role,
    rendered: () => rendered,
    verifier: () => verifier,
    stop: async () => {
      // Each stop waits for its step in progress, so nothing queries a pool after it has ended.
      await Promise.all([verifier?.stop(), collector.stop(), ...background.map((task) => task.stop())]);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await Promise.all(Object.values(pools).map((p) => p.end()));
    },
  };
}
