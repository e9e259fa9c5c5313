import { createHash } from 'node:crypto';
import type { CheckName, Severity } from '../snapshot/platform-findings';
import type { Snapshot } from '../snapshot/types';
import type { Incident } from './incidents';
import { rank, type ComponentStatus } from './levels';
import { groupBy } from '../util/group-by';

/**
 * Incidents from the open platform findings (self-monitoring), when the monitors run in this process:
 * one incident per check with open findings, named after what users notice, never after a tenant or a
 * connection (the findings' own titles name them, so they stay off the public page). An incident stays
 * open while any finding of its check is open; once none is, it is kept as resolved for a week.
 */
const PUBLIC: Record<CheckName, { componentId: string; name: string }> = {
  'aperio.platform.connector_stale': { componentId: 'connectors', name: 'Connector data freshness' },
  'aperio.platform.connector_failing': { componentId: 'connectors', name: 'Connector syncs' },
  'aperio.platform.siem_dead_letter': { componentId: 'siem', name: 'SIEM delivery' },
  'aperio.platform.ingestion_backlog': { componentId: 'ingestion-queue', name: 'Ingestion queue' },
  'aperio.platform.rule_failing': { componentId: 'detection-rules', name: 'Detection rule runs' },
  'aperio.platform.rule_slow': { componentId: 'detection-rules', name: 'Detection rule latency' },
  'aperio.platform.schedule_missed': { componentId: 'scheduled-runs', name: 'Scheduled runs' },
  'aperio.platform.exporter_stale_data': { componentId: 'data-freshness', name: 'Status data freshness' },
};
const IMPACT: Record<Severity, ComponentStatus> = {
  INFO: 'degraded_performance',
  LOW: 'degraded_performance',
  MEDIUM: 'degraded_performance',
  HIGH: 'partial_outage',
  CRITICAL: 'major_outage',
};
const KEEP_RESOLVED_MS = 7 * 24 * 3600 * 1000;
const hashId = (...parts: (string | number)[]) => createHash('sha1').update(parts.join('\u0000')).digest('hex').slice(0, 12);

export class FindingIncidentTracker {
  private open = new Map<CheckName, Incident>();
  private resolved: Incident[] = [];

  update(snapshot: Snapshot): void {
    const at = snapshot.takenAt;
    const byCheck = groupBy(snapshot.platformFindings, (f) => f.check);
    for (const [check, list] of byCheck) {
      const status = list.map((f) => IMPACT[f.severity]).reduce((a, b) => (rank(b) > rank(a) ? b : a));
      const startedAt = Math.min(...list.map((f) => f.createdAt));
      // Words for readers of a public page: the check's id is internal, and the incident shows its own start time.
      const body = `Self-monitoring reports ${list.length === 1 ? 'a problem' : `${list.length} problems`} affecting ${PUBLIC[check].name.toLowerCase()}.`;
      const existing = this.open.get(check);
      if (!existing) {
        const id = hashId(check, startedAt);
        const { componentId, name } = PUBLIC[check];
        this.open.set(check, {
          id,
          componentId,
          componentName: name,
          startedAt,
          resolvedAt: null,
          worstStatus: status,
          currentStatus: status,
          updates: [{ id: hashId(id, at, body), at, status: 'investigating', componentStatus: status, body }],
        });
      } else if (existing.updates[0]?.body !== body || existing.currentStatus !== status) {
        existing.currentStatus = status;
        if (rank(status) > rank(existing.worstStatus)) existing.worstStatus = status;
        existing.updates.unshift({ id: hashId(existing.id, at, body), at, status: 'investigating', componentStatus: status, body });
      }
    }
    for (const [check, incident] of this.open) {
      if (byCheck.has(check)) continue;
      incident.resolvedAt = at;
      incident.currentStatus = 'operational';
      incident.updates.unshift({
        id: hashId(incident.id, at, 'resolved'),
        at,
        status: 'resolved',
        componentStatus: 'operational',
        body: 'All findings resolved.',
      });
      this.open.delete(check);
      this.resolved.unshift(incident);
    }
    this.resolved = this.resolved.filter((i) => at - (i.resolvedAt ?? at) <= KEEP_RESOLVED_MS).slice(0, 50);
  }

  unresolved(): Incident[] {
    return [...this.open.values()].sort((a, b) => b.startedAt - a.startedAt || a.id.localeCompare(b.id));
  }

  all(): Incident[] {
    const last = (i: Incident) => i.updates[0]?.at ?? i.startedAt;
    return [...this.unresolved(), ...this.resolved].sort((a, b) => last(b) - last(a) || a.id.localeCompare(b.id));
  }
}
