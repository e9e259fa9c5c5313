import type pg from 'pg';
import { NOW, HOUR } from './clock';
import { seriesKey, type Value } from './compare';
import type { ConnectorFacts } from './expected-connectors';
import type { DestinationFacts, QueueFacts } from './expected-queues';

/**
 * The /status.json components docs/status.md defines from the data alone (not from the exporter's own
 * health): a provider's connectors, a kind's SIEM destinations, detection rules, scheduled runs and the
 * ingestion queue, with the default thresholds
 * (STATUS_CONSECUTIVE_FAILURES 3, failure ratios 0.5 / 0.1 over at least 3 runs of the last hour,
 * STATUS_QUEUE_WARN/ERROR_SECONDS 120 / 900).
 */
type Status = 'operational' | 'degraded_performance' | 'partial_outage' | 'major_outage';
export const STATUSES = ['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance'];
const ORDER: Status[] = ['operational', 'degraded_performance', 'partial_outage', 'major_outage'];
export const worst = (a: Status, b: Status) => (ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b);
const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '_');

export interface ExpectedComponent {
  id: string;
  group: string;
  status: Status;
  /** The counts its reasons state ("1 of 3 connections stale"), present only when not zero. */
  counts: Record<string, string>;
}

function ratioStatus(runs: number, failures: number): Status {
  if (runs < 3) return 'operational';
  if (failures === runs) return 'major_outage';
  if (failures / runs >= 0.5) return 'partial_outage';
  if (failures / runs >= 0.1) return 'degraded_performance';
  return 'operational';
}

/** Objects judged down, degraded or ok, rolled up: all down, some down or all at least degraded, some degraded. */
function rollUp(levels: ('down' | 'degraded' | 'ok')[]): { status: Status; counts: Record<string, string> } {
  const down = levels.filter((l) => l === 'down').length;
  const degraded = levels.filter((l) => l === 'degraded').length;
  let status: Status = 'operational';
  if (down === levels.length) status = 'major_outage';
  else if (down > 0 || down + degraded === levels.length) status = 'partial_outage';
  else if (degraded > 0) status = 'degraded_performance';
  const counts: Record<string, string> = {};
  if (down) counts.down = `${down} of ${levels.length}`;
  if (degraded) counts.degraded = `${degraded} of ${levels.length}`;
  return { status, counts };
}

/** A connection is down when critical or failing 3 syncs in a row, degraded when stale or never synced. */
const connectionLevel = (c: ConnectorFacts) =>
  c.state === 'critical' || c.consecutiveFailures >= 3 ? 'down' : c.state === 'stale' || c.state === 'never' ? 'degraded' : 'ok';

/**
 * A destination is down with dead letters and no successful delivery since its last error, or a pending
 * delivery older than 900 s; degraded with dead letters but deliveries since, or one older than 120 s.
 */
function destinationLevel(d: DestinationFacts): 'down' | 'degraded' | 'ok' {
  const deliveredSinceError = d.lastDeliveryAtMs !== null && (d.lastErrorAtMs === null || d.lastDeliveryAtMs > d.lastErrorAtMs);
  const waiting = d.oldestPendingAtMs === null ? 0 : (NOW - d.oldestPendingAtMs) / 1000;
  if ((d.dead > 0 && !deliveredSinceError) || waiting > 900) return 'down';
  if (d.dead > 0 || waiting > 120) return 'degraded';
  return 'ok';
}

export async function expectedComponents(
  pool: pg.Pool,
  facts: { connectors: ConnectorFacts[]; destinations: DestinationFacts[]; queues: QueueFacts[] },
  missed: { missed: boolean }[],
): Promise<ExpectedComponent[]> {
  const { rows } = await pool.query(
    `SELECT provider AS key, count(*) AS runs, count(*) FILTER (WHERE status IN ('FAILED', 'TIMED_OUT')) AS failures
       FROM "ConnectorSyncRun" WHERE "startedAt" > $1 AND "startedAt" <= $2 GROUP BY provider
     UNION ALL
     SELECT '*rules', count(*), count(*) FILTER (WHERE status IN ('FAILED', 'TIMED_OUT'))
       FROM "RuleRun" WHERE "startedAt" > $1 AND "startedAt" <= $2`,
    [new Date(NOW - HOUR), new Date(NOW)],
  );
  const lastHour = (key: string) => {
    const row = rows.find((r) => r.key === key);
    return ratioStatus(Number(row?.runs ?? 0), Number(row?.failures ?? 0));
  };
  const out: ExpectedComponent[] = [];
  const active = facts.connectors.filter((c) => c.status === 'ACTIVE');
  for (const provider of [...new Set(active.map((c) => c.provider))].sort()) {
    const { status, counts } = rollUp(active.filter((c) => c.provider === provider).map(connectionLevel));
    out.push({ id: `connector-${slug(provider)}`, group: 'connectors', status: worst(status, lastHour(provider)), counts });
  }
  const enabled = facts.destinations.filter((d) => d.enabled);
  for (const kind of [...new Set(enabled.map((d) => d.kind))].sort()) {
    out.push({ id: `siem-${slug(kind)}`, group: 'siem', ...rollUp(enabled.filter((d) => d.kind === kind).map(destinationLevel)) });
  }
  out.push({ id: 'detection-rules', group: 'detection', status: lastHour('*rules'), counts: {} });
  const late = missed.filter((j) => j.missed).length;
  const scheduled: Status =
    late === 0
      ? 'operational'
      : late === missed.length
        ? 'major_outage'
        : late * 2 >= missed.length
          ? 'partial_outage'
          : 'degraded_performance';
  out.push({ id: 'scheduled-runs', group: 'detection', status: scheduled, counts: late ? { missed: `${late} of ${missed.length}` } : {} });
  const oldest = facts.queues.map((q) => q.oldestQueuedAtMs).filter((v): v is number => v !== null);
  const age = oldest.length ? (NOW - Math.min(...oldest)) / 1000 : 0;
  const queue: Status = age > 900 ? 'partial_outage' : age > 120 ? 'degraded_performance' : 'operational';
  out.push({
    id: 'ingestion-queue',
    group: 'platform',
    status: queue,
    counts: queue === 'operational' ? {} : { waitingSeconds: String(Math.round(age)) },
  });
  return out;
}

export function expectedStatusJson(components: ExpectedComponent[]): Map<string, Value> {
  const out = new Map<string, Value>();
  for (const c of components) {
    out.set(`status.json{${c.id}}.status`, c.status);
    for (const [name, count] of Object.entries(c.counts)) out.set(`status.json{${c.id}}.reasons.${name}`, count);
  }
  return out;
}

/** The counts stated in a component's reasons; reasons that state no count (a failure ratio) are not read. */
const REASON_COUNTS: [RegExp, string][] = [
  [/^(\d+ of \d+) connections? critically stale or failing$/, 'down'],
  [/^(\d+ of \d+) connections? stale$/, 'degraded'],
  [/^(\d+ of \d+) destinations? dead-lettering or stuck$/, 'down'],
  [/^(\d+ of \d+) destinations? with dead letters or a slow queue$/, 'degraded'],
  [/^(\d+ of \d+) scheduled jobs? missed\b/, 'missed'],
  [/^oldest queued job waiting (\d+) s$/, 'waitingSeconds'],
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function actualStatusJson(body: any, components: ExpectedComponent[]): Map<string, Value> {
  const ids = new Set(components.map((c) => c.id));
  const out = new Map<string, Value>();
  // Every connector and SIEM component the page shows is compared, not only the expected ones.
  for (const c of body.components.filter((c: { id: string }) => ids.has(c.id) || /^(connector|siem)-/.test(c.id))) {
    out.set(`status.json{${c.id}}.status`, c.status);
    for (const reason of c.aperio_reasons as string[]) {
      for (const [pattern, name] of REASON_COUNTS) {
        const match = pattern.exec(reason);
        if (match) out.set(`status.json{${c.id}}.reasons.${name}`, match[1]);
      }
    }
  }
  return out;
}

export function expectedStatusSeries(components: ExpectedComponent[]): Map<string, Value> {
  const out = new Map<string, Value>();
  for (const c of components) {
    for (const status of STATUSES)
      out.set(seriesKey('aperio_status_component', { component: c.id, group: c.group, status }), status === c.status ? 1 : 0);
  }
  return out;
}
