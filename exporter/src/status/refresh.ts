import { PeriodicTask } from '../background/periodic-task';
import type { Snapshot } from '../snapshot/types';
import { slicer } from '../util/time-slices';
import { prepareStatusModel } from './model-cache';
import type { PlatformStatusView } from './platform-view';

export const STATUS_REFRESH_INTERVAL_MS = 5_000;

/**
 * Keeps the platform status view current without a request: every few seconds the newest snapshot's
 * status model is built in time slices (so this never holds a scrape up for long), then the view,
 * which moves the incidents on. The timer does not keep the process alive; the exporter stops it.
 */
export function statusRefresh(
  getSnapshot: () => Snapshot,
  view: PlatformStatusView,
  intervalMs = STATUS_REFRESH_INTERVAL_MS,
): PeriodicTask {
  return new PeriodicTask({
    name: 'status',
    intervalMs,
    firstRunAfterMs: intervalMs,
    unref: true,
    step: async () => {
      const snapshot = getSnapshot();
      await prepareStatusModel(snapshot, slicer());
      view.of(snapshot);
    },
  });
}
