import { eachItem, perItem, type Labels, type MetricFamily } from '../metrics/family';
import type { SiemDestinationState, Snapshot } from '../snapshot/types';

const OBJECT = ['destination', 'name'] as const;
const labelsOf = (d: SiemDestinationState): Labels => ({ tenant: d.tenant, destination: d.id, kind: d.kind });
const perDestination = (snapshot: Snapshot, value: (d: SiemDestinationState) => number | null) =>
  perItem(snapshot.siemDestinations, labelsOf, value);

export const siemFamilies: MetricFamily[] = [
  {
    name: 'aperio_siem_destination',
    type: 'info',
    help: 'Static properties of a SIEM destination; value is always 1.',
    objectLabels: OBJECT,
    merge: 'drop',
    samples: (s) =>
      perItem(
        s.siemDestinations,
        (d) => ({ ...labelsOf(d), name: d.name, enabled: String(d.enabled) }),
        () => 1,
      ),
  },
  {
    name: 'aperio_siem_deliveries',
    type: 'counter',
    help: 'Delivery attempts to the destination, successful or not (SiemDestination.deliveriesOk + deliveriesFail).',
    objectLabels: OBJECT,
    merge: 'sum',
    samples: (s) => perDestination(s, (d) => d.deliveriesOk + d.deliveriesFail),
  },
  {
    name: 'aperio_siem_delivery_failures',
    type: 'counter',
    help: 'Failed delivery attempts to the destination (SiemDestination.deliveriesFail).',
    objectLabels: OBJECT,
    merge: 'sum',
    samples: (s) => perDestination(s, (d) => d.deliveriesFail),
  },
  {
    name: 'aperio_siem_queue_depth',
    type: 'gauge',
    help: 'Deliveries waiting to be sent: pending (waiting for their first attempt) or retrying (failed at least once: RETRYING, or PENDING with attempts >= 1).',
    objectLabels: OBJECT,
    merge: 'sum',
    samples: (s) =>
      eachItem(s.siemDestinations, (d) => [
        { labels: { ...labelsOf(d), status: 'pending' }, value: d.pending },
        { labels: { ...labelsOf(d), status: 'retrying' }, value: d.retrying },
      ]),
  },
  {
    name: 'aperio_siem_dead_letters',
    type: 'gauge',
    help: 'Deliveries that gave up (status DEAD_LETTER) and wait for an operator.',
    objectLabels: OBJECT,
    merge: 'sum',
    samples: (s) => perDestination(s, (d) => d.deadLetters),
  },
  {
    name: 'aperio_siem_last_delivery_timestamp_seconds',
    type: 'gauge',
    help: 'Unix time of the last successful delivery. Absent if nothing was ever delivered.',
    objectLabels: OBJECT,
    merge: 'min',
    samples: (s) => perDestination(s, (d) => (d.lastDeliveryAt === null ? null : d.lastDeliveryAt / 1000)),
  },
  {
    name: 'aperio_siem_oldest_pending_timestamp_seconds',
    type: 'gauge',
    help: 'Unix time the oldest pending or retrying delivery was created. Absent when the queue is empty.',
    objectLabels: OBJECT,
    merge: 'min',
    samples: (s) => perDestination(s, (d) => (d.oldestPendingAt === null ? null : d.oldestPendingAt / 1000)),
  },
];
