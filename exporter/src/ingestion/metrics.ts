import { eachItem, perItem, type Labels, type MetricFamily } from '../metrics/family';
import type { IngestionQueueState, Snapshot } from '../snapshot/types';

const labelsOf = (q: IngestionQueueState): Labels => ({ tenant: q.tenant, kind: q.kind });
const perQueue = (snapshot: Snapshot, value: (q: IngestionQueueState) => number | null) => perItem(snapshot.ingestion, labelsOf, value);

export const ingestionFamilies: MetricFamily[] = [
  {
    name: 'aperio_ingestion_jobs',
    type: 'gauge',
    help: 'Ingestion jobs currently queued or running.',
    merge: 'sum',
    samples: (s) =>
      eachItem(s.ingestion, (q) => [
        { labels: { ...labelsOf(q), status: 'queued' }, value: q.queued },
        { labels: { ...labelsOf(q), status: 'running' }, value: q.running },
      ]),
  },
  {
    name: 'aperio_ingestion_jobs_retrying',
    type: 'gauge',
    help: 'Ingestion jobs being retried: queued again after a failed start (attempts >= 1), or running their second start or later.',
    merge: 'sum',
    samples: (s) => perQueue(s, (q) => q.retrying),
  },
  {
    name: 'aperio_ingestion_dead_jobs',
    type: 'gauge',
    help: 'Ingestion jobs that exhausted their attempts (status DEAD).',
    merge: 'sum',
    samples: (s) => perQueue(s, (q) => q.dead),
  },
  {
    name: 'aperio_ingestion_oldest_queued_timestamp_seconds',
    type: 'gauge',
    help: 'Unix time the oldest queued ingestion job was created. Absent when nothing is queued.',
    merge: 'min',
    samples: (s) => perQueue(s, (q) => (q.oldestQueuedAt === null ? null : q.oldestQueuedAt / 1000)),
  },
];
