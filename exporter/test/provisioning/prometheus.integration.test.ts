import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { loadSettings } from '../../src/config/settings';
import { seedDemo } from '../../src/demo/seed';
import { startExporter, type Exporter } from '../../src/server/start';
import { startMonitors } from '../../src/monitors/start';
import { dashboardQueries, resolveVariables, ruleQueries } from '../dashboards/queries';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { insertDeliveries, insertJobs } from '../helpers/fixtures';
import { describeWithTool, RULES_FILE } from './tools';
import { freePort } from '../../src/util/net';

const TOKEN = 'integration-test-metrics-token';
const DEADLINE_MS = 40_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface QueryResult {
  status: string;
  error?: string;
  data?: { result: { metric: Record<string, string>; value: [number, string] }[] };
}

describeWithTool('prometheus', 'a real Prometheus scraping the exporter', (prometheusBin) => {
  let db: TestDatabase;
  let exporter: Exporter;
  let stopMonitors: (() => Promise<void>) | undefined;
  let prometheus: ChildProcess;
  let dir: string;
  let api: string;
  let log = '';

  const query = async (expr: string): Promise<QueryResult> => {
    const res = await fetch(`${api}/api/v1/query?query=${encodeURIComponent(expr)}`);
    return (await res.json()) as QueryResult;
  };

  /** Polls until `check` passes or the deadline: Prometheus needs a few scrapes and evaluations first. */
  async function eventually<T>(what: string, attempt: () => Promise<T | null>, deadline: number): Promise<T> {
    let last: unknown = null;
    while (Date.now() < deadline) {
      try {
        const value = await attempt();
        if (value !== null) return value;
      } catch (err) {
        last = err;
      }
      await sleep(500);
    }
    throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}\nprometheus log:\n${log.slice(-2000)}`);
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    const now = Date.now();
    await seedDemo(db.pool, now);
    // The demo's failures, made certain: a backed-up ingestion queue and a SIEM queue with old deliveries.
    await insertJobs(db.pool, { org: 'org_hooli', kind: 'events', status: 'QUEUED', count: 3, createdAt: new Date(now - 20 * 60_000) });
    await insertJobs(db.pool, {
      org: 'org_hooli',
      kind: 'events',
      status: 'DEAD',
      count: 1,
      createdAt: new Date(now - 60 * 60_000),
      attempts: 5,
    });
    await insertDeliveries(db.pool, 'dest_umbrella_webhook', 'RETRYING', 2, new Date(now - 30 * 60_000));
    await insertDeliveries(db.pool, 'dest_umbrella_webhook', 'DEAD_LETTER', 4, new Date(now - 90 * 60_000));
    const settings = loadSettings({
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: db.url,
      COLLECT_INTERVAL_SECONDS: '1',
      METRICS_TOKEN: TOKEN,
      LOG_LEVEL: 'silent',
      VERIFY_INTERVAL_SECONDS: '5',
    });
    exporter = await startExporter({ settings, databaseUrl: db.url });
    // As `serve` does: the self-monitoring engine next to the exporter, so its metrics are scraped too.
    stopMonitors = startMonitors(settings, db.url, () => exporter.collector.snapshot);

    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aperio-prometheus-'));
    fs.writeFileSync(path.join(dir, 'token'), TOKEN);
    const target = new URL(exporter.url).host;
    const config = {
      global: { scrape_interval: '1s', evaluation_interval: '1s' },
      rule_files: [RULES_FILE],
      scrape_configs: [
        {
          job_name: 'aperio',
          authorization: { type: 'Bearer', credentials_file: path.join(dir, 'token') },
          static_configs: [{ targets: [target] }],
        },
      ],
    };
    fs.writeFileSync(path.join(dir, 'prometheus.yml'), YAML.stringify(config));
    const port = await freePort();
    api = `http://127.0.0.1:${port}`;
    prometheus = spawn(prometheusBin, [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ]);
    prometheus.stdout?.on('data', (b: Buffer) => (log += b.toString()));
    prometheus.stderr?.on('data', (b: Buffer) => (log += b.toString()));
  }, 60_000);

  afterAll(async () => {
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise((resolve) => prometheus.once('exit', resolve));
      prometheus.kill('SIGTERM');
      await Promise.race([exited, sleep(5000)]);
      if (prometheus.exitCode === null) prometheus.kill('SIGKILL');
    }
    await stopMonitors?.();
    await exporter?.stop();
    await db?.drop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test(
    'scrapes with the bearer token, records the rules and raises the demo failures as alerts',
    async () => {
      const deadline = Date.now() + DEADLINE_MS;
      await eventually(
        'a successful scrape',
        async () => {
          const r = await query('up{job="aperio"} == 1 and on (instance) aperio_exporter_database_reachable == 1');
          return r.data?.result.length ? r : null;
        },
        deadline,
      );

      for (const record of [
        'tenant_state:aperio_connector_freshness:sum',
        'tenant:aperio_connector_last_sync_age_seconds:max',
        'tenant:aperio_ingestion_oldest_queued_age_seconds:max',
        'job_instance:aperio_exporter_snapshot_age_seconds:max',
      ]) {
        await eventually(
          `recording rule ${record}`,
          async () => {
            const r = await query(record);
            return r.data?.result.length ? r : null;
          },
          deadline,
        );
      }

      const alerts = await eventually(
        'pending or firing alerts for the seeded failures',
        async () => {
          const res = await fetch(`${api}/api/v1/alerts`);
          const body = (await res.json()) as { data: { alerts: { labels: Record<string, string>; state: string }[] } };
          const stale = body.data.alerts.find(
            (a) => a.labels.alertname === 'AperioConnectorStale' && a.labels.connector === 'conn_globex_crowdstrike',
          );
          const dead = body.data.alerts.find(
            (a) => a.labels.alertname === 'AperioSiemDeadLetters' && a.labels.destination === 'dest_umbrella_webhook',
          );
          const backlog = body.data.alerts.find((a) => a.labels.alertname === 'AperioIngestionBacklogOld' && a.labels.tenant === 'hooli');
          return stale && dead && backlog ? [stale, dead, backlog] : null;
        },
        deadline,
      );
      for (const alert of alerts) expect(['pending', 'firing']).toContain(alert.state);
    },
    DEADLINE_MS + 20_000,
  );

  test(
    'every rule expression runs, and every dashboard query returns data',
    async () => {
      const deadline = Date.now() + DEADLINE_MS;
      for (const q of ruleQueries()) {
        const r = await query(q.expr);
        expect([q.source, r.status, r.error]).toEqual([q.source, 'success', undefined]);
      }
      // The rate windows need two scrapes inside them; by now there are many. A panel with a noValue text
      // ("0", "No dead jobs") may come back empty; it must still run.
      for (const q of dashboardQueries().filter((query) => query.noValue !== undefined)) {
        const r = await query(resolveVariables(q.expr));
        expect([q.source, r.status, r.error]).toEqual([q.source, 'success', undefined]);
      }
      for (const q of dashboardQueries().filter((query) => query.noValue === undefined)) {
        const expr = resolveVariables(q.expr);
        const r = await eventually(
          `data for ${q.source}: ${expr}`,
          async () => {
            const result = await query(expr);
            if (result.status !== 'success') throw new Error(`${result.status}: ${result.error}`);
            return result.data?.result.length ? result : null;
          },
          deadline,
        );
        expect(r.data?.result.length).toBeGreaterThan(0);
      }
    },
    DEADLINE_MS + 20_000,
  );
});
