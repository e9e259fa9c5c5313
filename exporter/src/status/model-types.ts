import type { HistorySource } from '../snapshot/status-history';
import type { ComponentStatus, Indicator } from './levels';

/**
 * The status page as a pure function of the snapshot, evaluated at the snapshot's time, so every
 * rendering of one snapshot (HTML, JSON, badges, /metrics) says the same thing. The public model is
 * platform-wide: components per provider and destination kind, never a tenant or a connection by name.
 * A tenant's model has one component per connection and destination of that tenant, and nothing else's.
 */
export interface StatusComponent {
  id: string;
  name: string;
  groupId: string;
  /**
   * The platform-wide component this one belongs to (a tenant's connection → `connector-<provider>`):
   * maintenance windows naming that component cover this one too. Null on the public page.
   */
  parentId: string | null;
  description: string;
  status: ComponentStatus;
  /** The computed status before maintenance windows were applied. */
  measured: ComponentStatus;
  /** Why the status is what it is, in words (counts on the public page, never names). */
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
