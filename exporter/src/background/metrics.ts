import type { MetricFamily } from '../metrics/family';
import { backgroundErrors } from './errors';

/** The background loops' health: a loop that keeps failing still runs, so its failures must be seen. */
export const backgroundFamilies: MetricFamily[] = [
  {
    name: 'aperio_exporter_background_errors',
    type: 'counter',
    help: 'Failed steps of each background loop (collector, monitors, telemetry, maintenance, status, demo, verify) in this process; the loop tries again after its interval and the log says why.',
    merge: 'sum',
    samples: () => [...backgroundErrors()].map(([task, value]) => ({ labels: { task }, value })),
  },
];
