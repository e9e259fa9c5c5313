import type pg from 'pg';
import { NOW, PRUNED } from './clock';
import type { Value } from './compare';
import { worst, type ExpectedComponent } from './expected-status';

/**
 * The status page's uptime bars (docs/status.md, Uptime bars): 90 UTC days up to today per component
 * with run history (connectors per provider, detection rules); a day's runs and failures are every run
 * started that day, its uptime 1 - failures / runs and its colour by the component thresholds on the
 * failure ratio (every run failed: major outage, >= 0.5 partial outage, >= 0.1 degraded, else
 * operational); today's cell is never better than the component's current status; days without runs
 * have no uptime or colour. `aperio_uptime_90d` is the run-weighted uptime over the 90 days.
 */
const DAY = 86_400_000;
const DAYS = 90;

type Status = ExpectedComponent['status'];
function dayColour(runs: number, failures: number): Status {
  if (failures === runs) return 'major_outage';
  if (failures / runs >= 0.5) return 'partial_outage';
  if (failures / runs >= 0.1) return 'degraded_performance';
  return 'operational';
}

type Counts = Map<string, { runs: number; failures: number }>;

async function dailyCounts(pool: pg.Pool, sql: string): Promise<Map<string, Counts>> {
  const { rows } = await pool.query(sql, [new Date(Math.floor(NOW / DAY) * DAY - (DAYS - 1) * DAY), new Date(NOW)]);
  const out = new Map<string, Counts>();
  for (const r of rows) {
    const days = out.get(r.component) ?? new Map();
    days.set(r.date, { runs: Number(r.runs), failures: Number(r.failures) });
    out.set(r.component, days);
  }
  return out;
}

const add = (counts: Map<string, Counts>, component: string, at: Date, runs: number, failures: number) => {
  const days = counts.get(component) ?? new Map();
  const date = at.toISOString().slice(0, 10);
  const day = days.get(date) ?? { runs: 0, failures: 0 };
  days.set(date, { runs: day.runs + runs, failures: day.failures + failures });
  counts.set(component, days);
};

export async function expectedUptime(pool: pg.Pool, components: ExpectedComponent[]): Promise<Map<string, Value>> {
  const FAILED = `status IN ('FAILED', 'TIMED_OUT')`;
  const counts = await dailyCounts(
    pool,
    `SELECT 'connector-' || regexp_replace(lower(provider), '[^a-z0-9]+', '_', 'g') AS component, to_char("startedAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS date,
            count(*) AS runs, count(*) FILTER (WHERE ${FAILED}) AS failures
       FROM "ConnectorSyncRun" WHERE "startedAt" >= $1 AND "startedAt" <= $2 GROUP BY 1, 2
     UNION ALL
     SELECT 'detection-rules', to_char("startedAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD'), count(*), count(*) FILTER (WHERE ${FAILED})
       FROM "RuleRun" WHERE "startedAt" >= $1 AND "startedAt" <= $2 GROUP BY 1, 2`,
  );
  const { rows } = await pool.query(`SELECT provider FROM "IntegrationConnection" WHERE id = $1`, [PRUNED.sync.connectionId]);
  add(counts, `connector-${rows[0].provider}`, PRUNED.hour, PRUNED.sync.runs, PRUNED.sync.failures);
  add(counts, 'detection-rules', PRUNED.hour, PRUNED.rule.runs, PRUNED.rule.failures);

  const out = new Map<string, Value>();
  const first = Math.floor(NOW / DAY) * DAY - (DAYS - 1) * DAY;
  for (const [component, days] of counts) {
    let runs = 0;
    let failures = 0;
    for (let i = 0; i < DAYS; i++) {
      const date = new Date(first + i * DAY).toISOString().slice(0, 10);
      const day = days.get(date) ?? { runs: 0, failures: 0 };
      const uptime = day.runs ? 1 - day.failures / day.runs : null;
      let status: Status | null = day.runs ? dayColour(day.runs, day.failures) : null;
      const now = components.find((c) => c.id === component)?.status ?? 'operational';
      if (i === DAYS - 1) status = status === null ? now : worst(status, now);
      setDay(out, component, { date, runs: day.runs, failures: day.failures, uptime, status });
      runs += day.runs;
      failures += day.failures;
    }
    out.set(`status.json{${component}}.uptime90d`, runs ? 1 - failures / runs : null);
  }
  return out;
}

interface Day {
  date: string;
  runs: number;
  failures: number;
  uptime: number | null;
  status: string | null;
}

function setDay(out: Map<string, Value>, component: string, day: Day): void {
  for (const field of ['runs', 'failures', 'uptime', 'status'] as const)
    out.set(`status.json{${component}}.day[${day.date}].${field}`, day[field]);
}

/** The bars of the components with run history in the exporter's answer, keyed as above. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function actualUptime(body: any): Map<string, Value> {
  const out = new Map<string, Value>();
  for (const c of body.components) {
    if (!(c.id.startsWith('connector-') || c.id === 'detection-rules')) continue;
    for (const day of c.aperio_uptime_days) setDay(out, c.id, day);
    out.set(`status.json{${c.id}}.uptime90d`, c.aperio_uptime_90d);
  }
  return out;
}
