import { PROVIDER_NAMES, SIEM_KIND_NAMES } from '../../exporter/src/status/display-names';
import { STATUS_LABEL } from '../../exporter/src/status/levels';

/**
 * The status dashboard reads `aperio_status_component{group, component, status}`, whose values are
 * ids. These mappings show them as the status page does, from the exporter's own tables, so the
 * dashboard and /status never name a component differently.
 */
// The status page's own palette (exporter/src/status/html-style.ts): yellow, orange, red by severity.
type Mapping = Record<string, { text: string; color?: string }>;

const STATUS_COLOURS: Record<string, string> = {
  operational: 'green',
  degraded_performance: 'yellow',
  partial_outage: 'orange',
  major_outage: 'red',
  under_maintenance: 'blue',
};

export const STATUS_WORDS: Mapping = Object.fromEntries(
  Object.entries(STATUS_LABEL).map(([status, text]) => [status, { text, color: STATUS_COLOURS[status] }]),
);

export const GROUP_NAMES: Mapping = {
  connectors: { text: 'Connectors' },
  siem: { text: 'SIEM delivery' },
  detection: { text: 'Detection' },
  platform: { text: 'Platform' },
};

// Component ids are `connector-<provider>` and `siem-<kind>` in the exporter's slug form (lower case, `_`).
export const COMPONENT_NAMES: Mapping = {
  ...Object.fromEntries(Object.entries(PROVIDER_NAMES).map(([provider, text]) => [`connector-${provider}`, { text }])),
  ...Object.fromEntries(Object.entries(SIEM_KIND_NAMES).map(([kind, text]) => [`siem-${kind.toLowerCase()}`, { text }])),
  'detection-rules': { text: 'Detection rules' },
  'scheduled-runs': { text: 'Scheduled runs' },
  'ingestion-queue': { text: 'Ingestion queue' },
  'data-freshness': { text: 'Data freshness' },
};
