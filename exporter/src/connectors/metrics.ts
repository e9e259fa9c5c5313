import { eachItem, perItem, stateSet, summedHistograms, type Labels, type MetricFamily, type Sample } from '../metrics/family';
import { SYNC_DURATION_BOUNDS_MS } from '../runs/buckets';
import type { ConnectorState, Snapshot } from '../snapshot/types';
import { FRESHNESS_STATES, freshnessState, thresholdsFor } from './freshness';

const OBJECT = ['connector', 'name', 'status'] as const;
const labelsOf = (c: ConnectorState): Labels => ({ tenant: c.tenant, connector: c.id, provider: c.provider });
const perConnector = (snapshot: Snapshot, value: (c: ConnectorState) => number | null) => perItem(snapshot.connectors, labelsOf, value);

export const connectorFamilies: MetricFamily[] = [
  {
    name: 'aperio_connector',
    type: 'info',
    help: 'Static properties of an integration connection; value is always 1.',
    objectLabels: OBJECT,
    merge: 'drop',
    samples: (s) =>
      perItem(
        s.connectors,
        (c) => ({ ...labelsOf(c), name: c.name, status: c.status }),
        () => 1,
      ),
  },
  {
    name: 'aperio_connector_last_sync_timestamp_seconds',
    type: 'gauge',
    help: 'Unix time of the last successful sync (IntegrationConnection.lastSyncAt). Absent if it never synced.',
    objectLabels: OBJECT,
    merge: 'min',
    samples: (s) => perConnector(s, (c) => (c.lastSyncAt === null ? null : c.lastSyncAt / 1000)),
  },
  {
    name: 'aperio_connector_last_sync_attempt_timestamp_seconds',
    type: 'gauge',
    help: 'Unix time the last sync attempt started, successful or not.',
    objectLabels: OBJECT,
    merge: 'min',
    samples: (s) => perConnector(s, (c) => (c.lastAttemptAt === null ? null : c.lastAttemptAt / 1000)),
  },
  {
    name: 'aperio_connector_freshness',
    type: 'gauge',
    help: 'Freshness of the connector data as a state set (fresh, stale, critical, never synced); thresholds in aperio_connector_freshness_threshold_seconds.',
    objectLabels: OBJECT,
    merge: 'sum',
    samples: (s) =>
      eachItem(s.connectors, (c) =>
        stateSet(labelsOf(c), 'state', FRESHNESS_STATES, freshnessState(c.lastSyncAt, s.takenAt, thresholdsFor(s.freshness, c.provider))),
      ),
  },
  {
    name: 'aperio_connector_freshness_threshold_seconds',
    type: 'gauge',
    help: 'Age of the last successful sync beyond which a provider is stale or critical. Absent where the level is switched off.',
    merge: 'max',
    samples: (s) => {
      const providers = [...new Set(s.connectors.map((c) => c.provider))].sort();
      return providers.flatMap((provider) => {
        const t = thresholdsFor(s.freshness, provider);
        const out: Sample[] = [];
        if (t.warnAfterSeconds !== null) out.push({ labels: { provider, level: 'stale' }, value: t.warnAfterSeconds });
        if (t.errorAfterSeconds !== null) out.push({ labels: { provider, level: 'critical' }, value: t.errorAfterSeconds });
        return out;
      });
    },
  },
  {
    name: 'aperio_connector_consecutive_failures',
    type: 'gauge',
    help: 'Failed syncs since the last successful one (looking back at most 7 days).',
    objectLabels: OBJECT,
    merge: 'max',
    samples: (s) => perConnector(s, (c) => c.consecutiveFailures),
  },
  {
    name: 'aperio_connector_syncs',
    type: 'counter',
    help: 'Connector syncs recorded in ConnectorSyncRun, of any outcome.',
    objectLabels: OBJECT,
    merge: 'sum',
    samples: (s) => perConnector(s, (c) => c.totals.runs),
  },
  {
    name: 'aperio_connector_sync_failures',
    type: 'counter',
    help: 'Connector syncs that failed or timed out.',
    objectLabels: OBJECT,
    merge: 'sum',
    samples: (s) => perConnector(s, (c) => c.totals.failures),
  },
  {
    name: 'aperio_connector_records_ingested',
    type: 'counter',
    help: 'Records ingested by connector syncs.',
    objectLabels: OBJECT,
    merge: 'sum',
    samples: (s) => perConnector(s, (c) => c.totals.recordsIngested),
  },
  {
    name: 'aperio_connector_sync_duration_seconds',
    type: 'histogram',
    help: 'Duration of connector syncs that have one, by provider; syncs without a duration (skipped, unfinished) are only in aperio_connector_syncs_total.',
    merge: 'sum',
    samples: (s) =>
      summedHistograms(
        s.connectors,
        'provider',
        (c) => c.provider,
        (c) => c.totals,
        SYNC_DURATION_BOUNDS_MS,
      ),
  },
];
