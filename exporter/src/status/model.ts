import { freshnessState, thresholdsFor } from '../connectors/freshness';
import { connectorOverdue, ruleOverdue } from '../rules/schedule';
import type { ConnectorState, SiemDestinationState, Snapshot } from '../snapshot/types';
import type { StatusConfig } from './active';
import type { HistorySource } from './history-types';
import { fromObjectLevels, INDICATOR_OF, indicatorDescription, worst, type ComponentStatus, type Indicator, type ObjectLevel } from './levels';
import { isActive } from './maintenance';
import type { StatusThresholds } from './thresholds';
import { groupBy } from '../util/group-by';

/**
 * The status page as a pure function of the snapshot: platform-wide components, never a tenant or a
 * connector by name (they are counted, not named). Evaluated at the snapshot's time, so every view of
 * one snapshot (HTML, JSON, badges, /metrics) says the same thing.
 */
export interface StatusComponent {
  id: string;
  name: string;
  groupId: string;
  description: string;
  status: ComponentStatus;
  /** The computed status before maintenance windows were applied. */
  measured: ComponentStatus;
  /** Why the status is what it is, in words (no tenant or connector names). */
  reasons: string[];
  /** Where its per-day uptime comes from; null for components without run history. */
  history: { source: HistorySource; key: string } | null;
}

export interface StatusGroup {
  id: string;
  name: string;
  description: string;
  status: ComponentStatus;
  components: StatusComponent[];
}

export interface StatusModel {
  at: number;
  groups: StatusGroup[];
  indicator: Indicator;
  description: string;
}

const INACTIVE_CONNECTOR = new Set(['DISABLED', 'PAUSED', 'INACTIVE', 'DELETED']);

/** Ids safe in URLs and label values: provider and kind strings are lower-cased and squeezed. */
export const slug = (value: string): string => value.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '') || 'unknown';
const titleCase = (value: string) => value.replace(/[_-]+/g, ' ').toLowerCase().replace(/\b\w/g, (c) => c.toUpperCase());
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function buildStatusModel(snapshot: Snapshot, config: StatusConfig): StatusModel {
  const now = snapshot.takenAt;
  const t = config.thresholds;
  const groups: StatusGroup[] = [
    group('connectors', 'Connectors', 'Data syncs from identity and security providers, one component per provider.', connectorComponents(snapshot, t)),
    group('siem', 'SIEM delivery', 'Forwarding of findings to SIEM destinations, one component per destination kind.', siemComponents(snapshot, t)),
    group('detection', 'Detection', 'Detection rule evaluation and scheduled jobs.', [rulesComponent(snapshot, t), scheduledComponent(snapshot)]),
    group('platform', 'Platform', 'Ingestion and the freshness of the data on this page.', [ingestionComponent(snapshot, t), dataComponent(snapshot, t)]),
  ];
  for (const g of groups) {
    for (const c of g.components) {
      const inMaintenance = config.maintenance.some((w) => isActive(w, now) && (w.components.includes(c.id) || w.components.includes(g.id)));
      if (inMaintenance) c.status = 'under_maintenance';
    }
    g.status = worst(g.components.map((c) => c.status));
  }
  const all = groups.flatMap((g) => g.components.map((c) => c.status));
  const indicator = INDICATOR_OF[worst(all)];
  return { at: now, groups, indicator, description: indicatorDescription(indicator, all.includes('under_maintenance')) };
}

function group(id: string, name: string, description: string, components: StatusComponent[]): StatusGroup {
  return { id, name, description, status: 'operational', components: components.map((c) => ({ ...c, groupId: id })) };
}

function component(id: string, name: string, description: string, status: ComponentStatus, reasons: string[], history: StatusComponent['history'] = null): StatusComponent {
  return { id, name, groupId: '', description, status, measured: status, reasons, history };
}

/** Failure ratio of the recent window, or null when too few runs to say. */
function recentRatio(snapshot: Snapshot, source: HistorySource, key: string, t: StatusThresholds): { status: ComponentStatus; reason: string } | null {
  const recent = snapshot.statusHistory.recent.find((r) => r.source === source && r.key === key);
  if (!recent || recent.runs < t.minRunsForRatio) return null;
  const ratio = recent.failures / recent.runs;
  const reason = `${recent.failures} of ${recent.runs} runs failed in the last hour`;
  if (ratio >= 1) return { status: 'major_outage', reason };
  if (ratio >= t.failureRatioMajor) return { status: 'partial_outage', reason };
  if (ratio >= t.failureRatioMinor) return { status: 'degraded_performance', reason };
  return null;
}

function connectorLevel(c: ConnectorState, snapshot: Snapshot, t: StatusThresholds): ObjectLevel {
  const state = freshnessState(c.lastSyncAt, snapshot.takenAt, thresholdsFor(snapshot.freshness, c.provider));
  if (state === 'critical' || c.consecutiveFailures >= t.consecutiveFailures) return 'down';
  if (state === 'stale' || state === 'never') return 'degraded';
  return 'ok';
}

function connectorComponents(snapshot: Snapshot, t: StatusThresholds): StatusComponent[] {
  const byProvider = groupBy(snapshot.connectors.filter((c) => !INACTIVE_CONNECTOR.has(c.status)), (c) => c.provider);
  return [...byProvider.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([provider, list]) => {
      const levels = list.map((c) => connectorLevel(c, snapshot, t));
      const down = levels.filter((l) => l === 'down').length;
      const degraded = levels.filter((l) => l === 'degraded').length;
      const reasons: string[] = [];
      if (down) reasons.push(`${down} of ${plural(list.length, 'connection')} critically stale or failing`);
      if (degraded) reasons.push(`${degraded} of ${plural(list.length, 'connection')} stale`);
      const ratio = recentRatio(snapshot, 'connector', provider, t);
      if (ratio) reasons.push(ratio.reason);
      const status = worst([fromObjectLevels(levels), ratio?.status ?? 'operational']);
      return component(`connector-${slug(provider)}`, titleCase(provider), `Syncs from ${provider} across all tenants.`, status, reasons, { source: 'connector', key: provider });
    });
}

function destinationLevel(d: SiemDestinationState, now: number, t: StatusThresholds): ObjectLevel {
  // Dead letters with no successful delivery since the last error: the destination is refusing everything.
  const deadLettering = d.deadLetters > 0 && (d.lastDeliveryAt === null || (d.lastErrorAt !== null && d.lastErrorAt >= d.lastDeliveryAt));
  const pendingAge = d.oldestPendingAt === null ? 0 : (now - d.oldestPendingAt) / 1000;
  if (deadLettering || pendingAge > t.queueErrorSeconds) return 'down';
  if (d.deadLetters > 0 || pendingAge > t.queueWarnSeconds) return 'degraded';
  return 'ok';
}

function siemComponents(snapshot: Snapshot, t: StatusThresholds): StatusComponent[] {
  const byKind = groupBy(snapshot.siemDestinations.filter((d) => d.enabled), (d) => d.kind);
  return [...byKind.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, list]) => {
      const levels = list.map((d) => destinationLevel(d, snapshot.takenAt, t));
      const down = levels.filter((l) => l === 'down').length;
      const degraded = levels.filter((l) => l === 'degraded').length;
      const reasons: string[] = [];
      if (down) reasons.push(`${down} of ${plural(list.length, 'destination')} dead-lettering or stuck`);
      if (degraded) reasons.push(`${degraded} of ${plural(list.length, 'destination')} with dead letters or a slow queue`);
      return component(`siem-${slug(kind)}`, titleCase(kind), `Deliveries to ${kind} destinations across all tenants.`, fromObjectLevels(levels), reasons);
    });
}

function rulesComponent(snapshot: Snapshot, t: StatusThresholds): StatusComponent {
  const ratio = recentRatio(snapshot, 'rule', '*', t);
  return component('detection-rules', 'Detection rules', 'Evaluation of detection rules.', ratio?.status ?? 'operational', ratio ? [ratio.reason] : [], { source: 'rule', key: '*' });
}

function scheduledComponent(snapshot: Snapshot): StatusComponent {
  const now = snapshot.takenAt;
  const scheduledRules = snapshot.rules.filter((r) => r.enabled && r.scheduleIntervalSeconds);
  const activeConnectors = snapshot.connectors.filter((c) => c.status === 'ACTIVE');
  const total = scheduledRules.length + activeConnectors.length;
  const missed = scheduledRules.filter((r) => ruleOverdue(r, now)).length + activeConnectors.filter((c) => connectorOverdue(c, now)).length;
  let status: ComponentStatus = 'operational';
  if (missed > 0 && missed === total) status = 'major_outage';
  else if (missed * 2 >= total && missed > 0) status = 'partial_outage';
  else if (missed > 0) status = 'degraded_performance';
  const reasons = missed ? [`${missed} of ${plural(total, 'scheduled job')} missed their slot`] : [];
  return component('scheduled-runs', 'Scheduled runs', 'Scheduled rule runs and connector syncs happen on time.', status, reasons);
}

function ingestionComponent(snapshot: Snapshot, t: StatusThresholds): StatusComponent {
  const oldest = Math.min(...snapshot.ingestion.map((q) => q.oldestQueuedAt ?? Infinity));
  const ageSeconds = Number.isFinite(oldest) ? Math.max(0, (snapshot.takenAt - oldest) / 1000) : 0;
  let status: ComponentStatus = 'operational';
  if (ageSeconds > t.queueErrorSeconds) status = 'partial_outage';
  else if (ageSeconds > t.queueWarnSeconds) status = 'degraded_performance';
  const reasons = status === 'operational' ? [] : [`oldest queued job waiting ${Math.round(ageSeconds)} s`];
  return component('ingestion-queue', 'Ingestion queue', 'Ingestion jobs are picked up promptly.', status, reasons);
}

function dataComponent(snapshot: Snapshot, t: StatusThresholds): StatusComponent {
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
