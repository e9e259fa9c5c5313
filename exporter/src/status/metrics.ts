import { stateSet, type MetricFamily } from '../metrics/family';
import { prepareStatusModel, statusModelOf } from './model-cache';
import { COMPONENT_STATUSES, INDICATORS } from './levels';

/** The status page as metrics, from the same model as /status.json, so a Grafana board agrees with it. */
export const statusFamilies: MetricFamily[] = [
  {
    name: 'aperio_status_component',
    type: 'gauge',
    help: 'Status of each status-page component as a state set (Statuspage v2 component statuses); see docs/status.md.',
    merge: 'max',
    prepare: prepareStatusModel,
    samples: (s) =>
      statusModelOf(s).groups.flatMap((g) =>
        g.components.flatMap((c) => stateSet({ component: c.id, group: g.id }, 'status', COMPONENT_STATUSES, c.status)),
      ),
  },
  {
    name: 'aperio_status_indicator',
    type: 'gauge',
    help: 'Overall status-page indicator as a state set (none, minor, major, critical), from the worst component.',
    merge: 'max',
    prepare: prepareStatusModel,
    samples: (s) => stateSet({}, 'indicator', INDICATORS, statusModelOf(s).indicator),
  },
];
