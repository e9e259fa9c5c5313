import { createHash } from 'node:crypto';
import { INDICATOR_OF, STATUS_LABEL, rank, type ComponentStatus, type Indicator } from './levels';
import type { StatusModel } from './model-types';

/**
 * Incidents derived from component degradation: one incident per component from the first snapshot it
 * is not operational until the first one where it is again, with an update whenever its status changes.
 * The tracker lives in the process (ids are stable for its lifetime); platform findings from
 * self-monitoring can replace this source without changing the shapes below.
 */
export interface IncidentUpdate {
  id: string;
  at: number;
  status: 'investigating' | 'resolved';
  componentStatus: ComponentStatus;
  body: string;
}

export interface Incident {
  id: string;
  componentId: string;
  componentName: string;
  startedAt: number;
  resolvedAt: number | null;
  /** The worst status the component reached during the incident. */
  worstStatus: ComponentStatus;
  currentStatus: ComponentStatus;
  updates: IncidentUpdate[];
}

export const incidentName = (i: Incident): string => `${i.componentName}: ${STATUS_LABEL[i.worstStatus].toLowerCase()}`;
export const incidentImpact = (i: Incident): Indicator => INDICATOR_OF[i.worstStatus];
const hashId = (...parts: (string | number)[]) => createHash('sha1').update(parts.join('\u0000')).digest('hex').slice(0, 12);

const KEEP_RESOLVED_MS = 7 * 24 * 3600 * 1000;
const KEEP_RESOLVED_MAX = 50;

export class IncidentTracker {
  private open = new Map<string, Incident>();
  private resolved: Incident[] = [];
  private lastAt = -Infinity;

  /** Folds a new model in; models older than the last one seen are ignored. */
  update(model: StatusModel): void {
    if (model.at < this.lastAt) return;
    this.lastAt = model.at;
    const seen = new Set<string>();
    for (const c of model.groups.flatMap((g) => g.components)) {
      // Maintenance is announced, not an incident; the measured status still counts outside windows.
      if (c.status === 'operational' || c.status === 'under_maintenance') continue;
      seen.add(c.id);
      const body = c.reasons.length ? `${STATUS_LABEL[c.status]}: ${c.reasons.join('; ')}.` : `${STATUS_LABEL[c.status]}.`;
      const existing = this.open.get(c.id);
      if (!existing) {
        const id = hashId(c.id, model.at);
        this.open.set(c.id, {
          id,
          componentId: c.id,
          componentName: c.name,
          startedAt: model.at,
          resolvedAt: null,
          worstStatus: c.status,
          currentStatus: c.status,
          updates: [{ id: hashId(id, model.at, c.status), at: model.at, status: 'investigating', componentStatus: c.status, body }],
        });
      } else if (existing.currentStatus !== c.status) {
        existing.currentStatus = c.status;
        if (rank(c.status) > rank(existing.worstStatus)) existing.worstStatus = c.status;
        existing.updates.unshift({
          id: hashId(existing.id, model.at, c.status),
          at: model.at,
          status: 'investigating',
          componentStatus: c.status,
          body,
        });
      }
    }
    for (const [componentId, incident] of this.open) {
      if (seen.has(componentId)) continue;
      incident.resolvedAt = model.at;
      incident.currentStatus = 'operational';
      incident.updates.unshift({
        id: hashId(incident.id, model.at, 'resolved'),
        at: model.at,
        status: 'resolved',
        componentStatus: 'operational',
        body: 'Operational again.',
      });
      this.open.delete(componentId);
      this.resolved.unshift(incident);
    }
    this.resolved = this.resolved.filter((i) => model.at - (i.resolvedAt ?? model.at) <= KEEP_RESOLVED_MS).slice(0, KEEP_RESOLVED_MAX);
  }

  /** Open incidents, newest first. */
  unresolved(): Incident[] {
    return [...this.open.values()].sort((a, b) => b.startedAt - a.startedAt || a.componentId.localeCompare(b.componentId));
  }

  /** Open and recently resolved incidents, newest activity first: the Atom feed and the page's history. */
  all(): Incident[] {
    const lastUpdate = (i: Incident) => i.updates[0]?.at ?? i.startedAt;
    return [...this.unresolved(), ...this.resolved].sort((a, b) => lastUpdate(b) - lastUpdate(a) || a.id.localeCompare(b.id));
  }
}
