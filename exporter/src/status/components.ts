import { connectorJob, missedBy, ruleJob, type ScheduledJob } from '../schedules/jobs';
import type { ConnectorState, IngestionQueueState, RuleState, SiemDestinationState, Snapshot } from '../snapshot/types';
import type { HistorySource, StatusHistory } from './history-types';
import { connectionFacts, connectorLevel, destinationFacts, destinationLevel, recentRatio } from './judge';
import { fromObjectLevels, worst, type ComponentStatus, type ObjectLevel } from './levels';
import { providerName, siemKindName } from './display-names';
import type { StatusComponent } from './model';
import type { StatusThresholds } from './thresholds';
import { countSteps, filterSteps, groupBySteps, mapSteps, type Steps } from '../util/time-slices';

/**
 * What one view judges: the whole snapshot (public: objects rolled up per provider or kind, counted,
 * never named) or one tenant's part of it (one component per object of that tenant, named). Both
 * views run the same rules (judge.ts) over their own lists.
 */
export interface StatusInputs {
  view: 'platform' | 'tenant';
  /** Time, the freshness policy and the exporter's own data freshness: platform-wide in every view. */
  snapshot: Snapshot;
  connectors: ConnectorState[];
  destinations: SiemDestinationState[];
  rules: RuleState[];
  ingestion: IngestionQueueState[];
  /** Run counts keyed as this view's components are (provider or connection); null when they could not be read. */
  history: StatusHistory | null;
  t: StatusThresholds;
}

const INACTIVE_CONNECTOR = new Set(['DISABLED', 'PAUSED', 'INACTIVE', 'DELETED']);
/** One object of a tenant's own is judged by itself: down is an outage of it, degraded a degradation. */
const OBJECT_STATUS: Record<ObjectLevel, ComponentStatus> = { ok: 'operational', degraded: 'degraded_performance', down: 'major_outage' };
export const HISTORY_UNAVAILABLE = 'run history could not be read just now: no failure ratio or uptime bars';

/** Ids safe in URLs and label values: provider and kind strings are lower-cased and squeezed. */
export const slug = (value: string): string =>
  value
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '') || 'unknown';
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const byName = <T extends { name: string; id: string }>(a: T, b: T) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id);

function component(
  id: string,
  name: string,
  description: string,
  status: ComponentStatus,
  reasons: string[],
  history: StatusComponent['history'] = null,
  parentId: string | null = null,
): StatusComponent {
  return { id, name, groupId: '', parentId, description, status, measured: status, reasons, history };
}

/** The recent failure ratio of a history key, and the note that the history is missing when it is. */
function ratioOf(inputs: StatusInputs, source: HistorySource, key: string, reasons: string[]): ComponentStatus {
  if (!inputs.history) {
    reasons.push(HISTORY_UNAVAILABLE);
    return 'operational';
  }
  const ratio = recentRatio(inputs.history, source, key, inputs.t);
  if (ratio) reasons.push(ratio.reason);
  return ratio?.status ?? 'operational';
}

/** Counted reasons of a roll-up ("2 of 5 connections stale"): the public page names no object. */
function countedReasons(levels: ObjectLevel[], noun: string, down: string, degraded: string): string[] {
  const reasons: string[] = [];
  const downCount = levels.filter((l) => l === 'down').length;
  const degradedCount = levels.filter((l) => l === 'degraded').length;
  if (downCount) reasons.push(`${downCount} of ${plural(levels.length, noun)} ${down}`);
  if (degradedCount) reasons.push(`${degradedCount} of ${plural(levels.length, noun)} ${degraded}`);
  return reasons;
}

/**
 * The platform view judges every object of the snapshot (tens of thousands at scale), so the component
 * builders are steps (util/time-slices.ts): the model can be built in time slices between scrapes.
 */
export function* connectorComponents(inputs: StatusInputs): Steps<StatusComponent[]> {
  const { snapshot, t } = inputs;
  const active = yield* filterSteps(inputs.connectors, (c) => !INACTIVE_CONNECTOR.has(c.status));
  if (inputs.view === 'tenant') {
    return active.sort(byName).map((c) => {
      const level = connectorLevel(c, snapshot, t);
      const reasons =
        level === 'ok'
          ? []
          : [`${level === 'down' ? 'critically stale or failing' : 'stale'}: ${connectionFacts(c, snapshot.takenAt, t).join(', ')}`];
      const status = worst([OBJECT_STATUS[level], ratioOf(inputs, 'connector', c.id, reasons)]);
      return component(
        `connection-${slug(c.id)}`,
        c.name,
        `Syncs from ${providerName(c.provider)}.`,
        status,
        reasons,
        { source: 'connector', key: c.id },
        `connector-${slug(c.provider)}`,
      );
    });
  }
  const byProvider = [...(yield* groupBySteps(active, (c) => c.provider)).entries()].sort(([a], [b]) => a.localeCompare(b));
  const components: StatusComponent[] = [];
  for (const [provider, list] of byProvider) {
    const levels = yield* mapSteps(list, (c) => connectorLevel(c, snapshot, t));
    const reasons = countedReasons(levels, 'connection', 'critically stale or failing', 'stale');
    const status = worst([fromObjectLevels(levels), ratioOf(inputs, 'connector', provider, reasons)]);
    components.push(
      component(
        `connector-${slug(provider)}`,
        providerName(provider),
        `Syncs from ${providerName(provider)} across all tenants.`,
        status,
        reasons,
        { source: 'connector', key: provider },
      ),
    );
  }
  return components;
}

export function* siemComponents(inputs: StatusInputs): Steps<StatusComponent[]> {
  const now = inputs.snapshot.takenAt;
  const enabled = yield* filterSteps(inputs.destinations, (d) => d.enabled);
  if (inputs.view === 'tenant') {
    return enabled.sort(byName).map((d) => {
      const level = destinationLevel(d, now, inputs.t);
      const reasons =
        level === 'ok'
          ? []
          : [`${level === 'down' ? 'dead-lettering or stuck' : 'dead letters or a slow queue'}: ${destinationFacts(d, now).join(', ')}`];
      return component(
        `destination-${slug(d.id)}`,
        d.name,
        `Deliveries to this ${siemKindName(d.kind)} destination.`,
        OBJECT_STATUS[level],
        reasons,
        null,
        `siem-${slug(d.kind)}`,
      );
    });
  }
  const byKind = [...(yield* groupBySteps(enabled, (d) => d.kind)).entries()].sort(([a], [b]) => a.localeCompare(b));
  const components: StatusComponent[] = [];
  for (const [kind, list] of byKind) {
    const levels = yield* mapSteps(list, (d) => destinationLevel(d, now, inputs.t));
    const reasons = countedReasons(levels, 'destination', 'dead-lettering or stuck', 'with dead letters or a slow queue');
    components.push(
      component(
        `siem-${slug(kind)}`,
        siemKindName(kind),
        `Deliveries to ${siemKindName(kind)} destinations across all tenants.`,
        fromObjectLevels(levels),
        reasons,
      ),
    );
  }
  return components;
}

export function rulesComponent(inputs: StatusInputs): StatusComponent {
  const reasons: string[] = [];
  const status = ratioOf(inputs, 'rule', '*', reasons);
  return component('detection-rules', 'Detection rules', 'Evaluation of detection rules.', status, reasons, { source: 'rule', key: '*' });
}

export function* scheduledComponent(inputs: StatusInputs): Steps<StatusComponent> {
  const { takenAt: now, scheduleSettings: settings } = inputs.snapshot;
  const missed = (job: ScheduledJob | null) => job !== null && missedBy(job, settings, now) !== null;
  const total =
    (yield* countSteps(inputs.rules, (r) => ruleJob(r, settings.timezone) !== null)) +
    (yield* countSteps(inputs.connectors, (c) => connectorJob(c) !== null));
  const missedCount =
    (yield* countSteps(inputs.rules, (r) => missed(ruleJob(r, settings.timezone)))) +
    (yield* countSteps(inputs.connectors, (c) => missed(connectorJob(c))));
  let status: ComponentStatus = 'operational';
  if (missedCount > 0 && missedCount === total) status = 'major_outage';
  else if (missedCount * 2 >= total && missedCount > 0) status = 'partial_outage';
  else if (missedCount > 0) status = 'degraded_performance';
  const reasons = missedCount ? [`${missedCount} of ${plural(total, 'scheduled job')} missed their latest slot`] : [];
  return component('scheduled-runs', 'Scheduled runs', 'Scheduled rule runs and connector syncs happen on time.', status, reasons);
}

export function ingestionComponent(inputs: StatusInputs): StatusComponent {
  const oldest = Math.min(...inputs.ingestion.map((q) => q.oldestQueuedAt ?? Infinity));
  const ageSeconds = Number.isFinite(oldest) ? Math.max(0, (inputs.snapshot.takenAt - oldest) / 1000) : 0;
  let status: ComponentStatus = 'operational';
  if (ageSeconds > inputs.t.queueErrorSeconds) status = 'partial_outage';
  else if (ageSeconds > inputs.t.queueWarnSeconds) status = 'degraded_performance';
  const reasons = status === 'operational' ? [] : [`oldest queued job waiting ${Math.round(ageSeconds)} s`];
  return component('ingestion-queue', 'Ingestion queue', 'Ingestion jobs are picked up promptly.', status, reasons);
}

/** The exporter's own data: the same for every view, since every view is read from the same snapshot. */
export function dataComponent({ snapshot, t }: StatusInputs): StatusComponent {
  const reasons: string[] = [];
  let status: ComponentStatus = 'operational';
  const ageSeconds = snapshot.dataAsOf ? (snapshot.takenAt - snapshot.dataAsOf) / 1000 : Infinity;
  const failed = snapshot.collections.filter((c) => !c.success).length;
  if (!snapshot.databaseReachable) {
    status = 'major_outage';
    reasons.push('the database is unreachable; showing the last data read');
  } else if (ageSeconds > t.dataErrorSeconds) {
    status = 'partial_outage';
    reasons.push(Number.isFinite(ageSeconds) ? `data is ${Math.round(ageSeconds)} s old` : 'no complete collection yet');
  } else if (ageSeconds > t.dataWarnSeconds || failed > 0) {
    status = 'degraded_performance';
    reasons.push(failed ? `${plural(failed, 'collector')} failed in the last collection` : `data is ${Math.round(ageSeconds)} s old`);
  }
  return component('data-freshness', 'Data freshness', 'This page reads current data from the Aperio database.', status, reasons);
}
