import { freshnessState, thresholdsFor } from '../connectors/freshness';
import type { ConnectorState, SiemDestinationState, Snapshot } from '../snapshot/types';
import type { HistorySource, StatusHistory } from './history-types';
import type { ComponentStatus, ObjectLevel } from './levels';
import type { StatusThresholds } from './thresholds';

/**
 * The rules that judge one object or one run count, shared by the public view (objects rolled up per
 * provider or kind) and a tenant's view (one component per object). docs/status.md states each rule.
 */

/** Failure ratio of the recent window, or null when too few runs to say. */
export function recentRatio(
  history: StatusHistory,
  source: HistorySource,
  key: string,
  t: StatusThresholds,
): { status: ComponentStatus; reason: string } | null {
  const recent = history.recent.find((r) => r.source === source && r.key === key);
  if (!recent || recent.runs < t.minRunsForRatio) return null;
  const ratio = recent.failures / recent.runs;
  const reason = `${recent.failures} of ${recent.runs} runs failed in the last hour`;
  if (ratio >= 1) return { status: 'major_outage', reason };
  if (ratio >= t.failureRatioMajor) return { status: 'partial_outage', reason };
  if (ratio >= t.failureRatioMinor) return { status: 'degraded_performance', reason };
  return null;
}

export function connectorLevel(c: ConnectorState, snapshot: Snapshot, t: StatusThresholds): ObjectLevel {
  const state = freshnessState(c.lastSyncAt, snapshot.takenAt, thresholdsFor(snapshot.freshness, c.provider));
  if (state === 'critical' || c.consecutiveFailures >= t.consecutiveFailures) return 'down';
  if (state === 'stale' || state === 'never') return 'degraded';
  return 'ok';
}

export function destinationLevel(d: SiemDestinationState, now: number, t: StatusThresholds): ObjectLevel {
  // Dead letters with no successful delivery since the last error: the destination is refusing everything.
  const deadLettering = d.deadLetters > 0 && (d.lastDeliveryAt === null || (d.lastErrorAt !== null && d.lastErrorAt >= d.lastDeliveryAt));
  const pendingAge = d.oldestPendingAt === null ? 0 : (now - d.oldestPendingAt) / 1000;
  if (deadLettering || pendingAge > t.queueErrorSeconds) return 'down';
  if (d.deadLetters > 0 || pendingAge > t.queueWarnSeconds) return 'degraded';
  return 'ok';
}

/** An age in words for a tenant's own objects ("2 h"); coarse on purpose, the page is not a log. */
export function age(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s`;
  if (s < 120 * 60) return `${Math.round(s / 60)} min`;
  if (s < 48 * 3600) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86400)} days`;
}

/** What made one connection degraded or down, for its own component in a tenant's view. */
export function connectionFacts(c: ConnectorState, now: number, t: StatusThresholds): string[] {
  const facts = [c.lastSyncAt === null ? 'never synced successfully' : `last successful sync ${age(now - c.lastSyncAt)} ago`];
  if (c.consecutiveFailures >= t.consecutiveFailures) facts.push(`${c.consecutiveFailures} failed syncs in a row`);
  return facts;
}

/** What made one destination degraded or down, for its own component in a tenant's view. */
export function destinationFacts(d: SiemDestinationState, now: number): string[] {
  const facts: string[] = [];
  if (d.deadLetters > 0) facts.push(`${d.deadLetters} dead letter${d.deadLetters === 1 ? '' : 's'}`);
  if (d.oldestPendingAt !== null) facts.push(`oldest pending delivery ${age(now - d.oldestPendingAt)} old`);
  return facts;
}
