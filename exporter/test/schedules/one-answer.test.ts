import { seedDemo } from '../../src/demo/seed';
import type { Exporter } from '../../src/server/start';
import { DEFAULT_MONITORS_CONFIG } from '../../src/monitors/config';
import { MonitorEngine } from '../../src/monitors/engine';
import { token } from '../api/helpers';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startTestExporter } from '../helpers/exporter';
import { parseExposition } from '../helpers/exposition';

const HOUR = 3_600_000;

interface ApiSlot {
  at: string;
  state: 'ran' | 'missed' | 'pending';
}
interface ApiJob {
  kind: 'rule' | 'connector';
  tenant: string;
  id: string;
  graceSeconds: number;
  slots: ApiSlot[];
}

/**
 * "Did the hourly job for tenant X run?" has one answer: on the demo (with its skipped Initech job) plus
 * a cron-only rule that never ran, the schedules API's latest due slot, the metric, the finding and the
 * status page agree for every scheduled rule and connector.
 */
describe('one answer to "did the scheduled job run?"', () => {
  const now = Date.now();
  let db: TestDatabase;
  let exporter: Exporter;
  let jobs: ApiJob[];
  let missedJobs: ApiJob[];
  let tenantIds: Map<string, string>;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDemo(db.pool, now);
    await db.pool.query(
      `INSERT INTO "DetectionRule" (id, "organizationId", key, name, severity, enabled, "scheduleCron")
       SELECT 'rule_cron_never', id, 'hourly_report', 'Hourly report', 'LOW', true, '0 * * * *' FROM "Organization" ORDER BY slug LIMIT 1`,
    );
    tenantIds = new Map(
      (await db.pool.query<{ id: string; slug: string }>(`SELECT id, slug FROM "Organization"`)).rows.map((r) => [r.slug, r.id]),
    );
    exporter = await startTestExporter(db.url, { LOG_LEVEL: 'silent' }, { clock: () => now });
    const operator = await token(db.pool, 'OPERATOR');
    jobs = [];
    // Per tenant: a day of the demo's minute-by-minute rules is more slots than one answer may hold.
    for (const tenant of [...tenantIds.keys()].sort()) {
      const window = `from=${new Date(now - 24 * HOUR).toISOString()}&to=${new Date(now).toISOString()}`;
      const answer = await fetch(`${exporter.url}/api/v1/schedules?tenant=${tenant}&${window}`, {
        headers: { authorization: `Bearer ${operator}` },
      });
      expect({ status: answer.status, body: answer.status === 200 ? null : await answer.text() }).toEqual({ status: 200, body: null });
      jobs.push(...((await answer.json()) as { data: ApiJob[] }).data);
    }
    // The latest due slot of each job: the newest slot whose grace has passed at `now`.
    missedJobs = jobs.filter((job) => {
      const due = job.slots.filter((s) => Date.parse(s.at) + job.graceSeconds * 1000 <= now);
      return due[due.length - 1]?.state === 'missed';
    });
  });
  afterAll(async () => {
    await exporter?.stop();
    await db?.drop();
  });

  it('the API sees misses: the skipped Initech job and the cron rule that never ran', () => {
    const missed = missedJobs.map((j) => `${j.kind}:${j.tenant}:${j.id}`);
    expect(missed).toContain('rule:initech:rule_initech_hourly_access_review');
    expect(missed.filter((m) => m.endsWith(':rule_cron_never'))).toHaveLength(1);
    // Every other job ran in (nearly) every slot of the day: the demo's runs sit on the slots.
    const builtIn = jobs.filter((j) => j.kind === 'rule' && j.id === 'rule_impossible_travel');
    expect(builtIn.length).toBeGreaterThan(1);
    for (const job of builtIn) expect(job.slots.filter((s) => s.state === 'missed')).toEqual([]);
  });

  it('aperio_scheduled_run_missed counts exactly the jobs whose latest due slot the API shows missed', async () => {
    const metrics = parseExposition(await (await fetch(`${exporter.url}/metrics`)).text());
    const fromMetric = new Map<string, number>();
    for (const [key, value] of metrics) {
      const m = /^aperio_scheduled_run_missed\{kind="(\w+)",tenant="([^"]+)"\}$/.exec(key);
      if (m) fromMetric.set(`${m[2]}/${m[1]}`, value);
    }
    const fromApi = new Map<string, number>();
    for (const job of jobs)
      fromApi.set(`${job.tenant}/${job.kind}`, (fromApi.get(`${job.tenant}/${job.kind}`) ?? 0) + (missedJobs.includes(job) ? 1 : 0));
    expect(Object.fromEntries(fromMetric)).toEqual(Object.fromEntries(fromApi));
  });

  it('the schedule_missed findings are exactly those jobs', async () => {
    const config = {
      ...DEFAULT_MONITORS_CONFIG,
      schedule_missed: { ...DEFAULT_MONITORS_CONFIG.schedule_missed, suppressDuringBacklog: 'off' as const },
    };
    const engine = new MonitorEngine({
      pool: db.pool,
      getSnapshot: () => exporter.collector.snapshot,
      config,
      intervalSeconds: 3600,
      clock: () => now,
    });
    try {
      await engine.cycle();
    } finally {
      await engine.stop();
    }
    const { rows } = await db.pool.query<{ dedupKey: string }>(
      `SELECT "dedupKey" FROM "Finding" WHERE category = 'aperio.platform.schedule_missed' AND status = 'OPEN'`,
    );
    const subject = (j: ApiJob) => (j.kind === 'rule' ? `rule:${tenantIds.get(j.tenant)}:${j.id}` : `connector:${j.id}`);
    expect(rows.map((r) => r.dedupKey.replace('aperio.platform.schedule_missed:', '')).sort()).toEqual(missedJobs.map(subject).sort());
  });

  it('the status page counts every scheduled job, cron rules included, and the same misses', async () => {
    const summary = (await (await fetch(`${exporter.url}/status.json`)).json()) as {
      components: { name: string; aperio_reasons: string[] }[];
    };
    const scheduled = summary.components.find((c) => c.name === 'Scheduled runs')!;
    expect(scheduled.aperio_reasons).toContain(`${missedJobs.length} of ${jobs.length} scheduled jobs missed their latest slot`);
  });
});
