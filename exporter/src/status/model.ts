import type { Snapshot } from '../snapshot/types';
import type { StatusConfig } from './model-cache';
import {
  connectorComponents,
  dataComponent,
  ingestionComponent,
  rulesComponent,
  scheduledComponent,
  siemComponents,
  type StatusInputs,
} from './components';
import type { HistorySource, StatusHistory } from './history-types';
import { INDICATOR_OF, indicatorDescription, worst, type ComponentStatus, type Indicator } from './levels';
import { isActive } from './maintenance';
import { runSteps, type Steps } from '../util/time-slices';

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

const GROUP_DESCRIPTIONS: Record<StatusInputs['view'], Record<'connectors' | 'siem' | 'detection' | 'platform', string>> = {
  platform: {
    connectors: 'Data syncs from identity and security providers, one component per provider.',
    siem: 'Forwarding of findings to SIEM destinations, one component per destination kind.',
    detection: 'Detection rule evaluation and scheduled jobs.',
    platform: 'Ingestion and the freshness of the data on this page.',
  },
  tenant: {
    connectors: "Data syncs of this tenant's connections, one component per connection.",
    siem: "Forwarding of findings to this tenant's SIEM destinations, one component per destination.",
    detection: "This tenant's detection rule runs and scheduled jobs.",
    platform: "This tenant's ingestion queue and the freshness of the data on this page.",
  },
};

/** The public, platform-wide model, judged with the snapshot's run history. */
export function buildStatusModel(snapshot: Snapshot, config: StatusConfig): StatusModel {
  return runSteps(statusModelSteps(snapshot, config));
}

/** The public model as steps, to be built in time slices (status/model-cache.ts). */
export function statusModelSteps(snapshot: Snapshot, config: StatusConfig): Steps<StatusModel> {
  return judge(inputsFor(snapshot, config, snapshot.statusHistory, null), config);
}

/**
 * One tenant's view: its own connections, destinations, rules, scheduled jobs and ingestion queue, with
 * the platform-wide data freshness. `history` is the tenant's own run history keyed by connection (null
 * when it could not be read: the components say so and the rest of the view still stands).
 */
export function buildTenantStatusModel(
  snapshot: Snapshot,
  config: StatusConfig,
  tenantId: string,
  history: StatusHistory | null,
): StatusModel {
  return runSteps(judge(inputsFor(snapshot, config, history, tenantId), config));
}

function inputsFor(snapshot: Snapshot, config: StatusConfig, history: StatusHistory | null, tenantId: string | null): StatusInputs {
  // The public view takes the lists as they are (no copy of tens of thousands of rows per snapshot).
  const own = <T extends { tenantId: string }>(list: T[]) => (tenantId === null ? list : list.filter((item) => item.tenantId === tenantId));
  return {
    view: tenantId === null ? 'platform' : 'tenant',
    snapshot,
    connectors: own(snapshot.connectors),
    destinations: own(snapshot.siemDestinations),
    rules: own(snapshot.rules),
    ingestion: own(snapshot.ingestion),
    history,
    t: config.thresholds,
  };
}

function* judge(inputs: StatusInputs, config: StatusConfig): Steps<StatusModel> {
  const text = GROUP_DESCRIPTIONS[inputs.view];
  return finish(inputs.snapshot.takenAt, config, [
    group('connectors', 'Connectors', text.connectors, yield* connectorComponents(inputs)),
    group('siem', 'SIEM delivery', text.siem, yield* siemComponents(inputs)),
    group('detection', 'Detection', text.detection, [rulesComponent(inputs), yield* scheduledComponent(inputs)]),
    group('platform', 'Platform', text.platform, [ingestionComponent(inputs), dataComponent(inputs)]),
  ]);
}

/** Whether a maintenance window's or an incident's component ids cover a component (group ids cover their components). */
export const covers = (ids: readonly string[], c: StatusComponent): boolean =>
  ids.includes(c.id) || ids.includes(c.groupId) || (c.parentId !== null && ids.includes(c.parentId));

/** Maintenance windows, group statuses and the page indicator: the same for every view. */
function finish(at: number, config: StatusConfig, groups: StatusGroup[]): StatusModel {
  for (const g of groups) {
    for (const c of g.components) {
      if (config.maintenance.some((w) => isActive(w, at) && covers(w.components, c))) c.status = 'under_maintenance';
    }
    g.status = worst(g.components.map((c) => c.status));
  }
  const all = groups.flatMap((g) => g.components.map((c) => c.status));
  const indicator = INDICATOR_OF[worst(all)];
  return { at, groups, indicator, description: indicatorDescription(indicator, all.includes('under_maintenance')) };
}

function group(id: string, name: string, description: string, components: StatusComponent[]): StatusGroup {
  return { id, name, description, status: 'operational', components: components.map((c) => ({ ...c, groupId: id })) };
}
