import type { Snapshot } from '../snapshot/types';
import { buildStatusModel, statusModelSteps } from './model';
import type { StatusModel } from './model-types';
import { runStepsSliced, type Pause } from '../util/time-slices';

const models = new WeakMap<Snapshot, StatusModel>();
const building = new WeakMap<Snapshot, Promise<StatusModel>>();

/** The status model of a snapshot, computed once per snapshot and shared by /metrics and the status routes. */
export function statusModelOf(snapshot: Snapshot): StatusModel {
  let model = models.get(snapshot);
  if (!model) {
    model = buildStatusModel(snapshot, snapshot.statusConfig);
    models.set(snapshot, model);
  }
  return model;
}

/**
 * Builds the snapshot's status model in time slices, so that judging tens of thousands of objects
 * never holds the event loop for long; `statusModelOf` then finds it built. Callers that arrive while
 * it is being built share the one build.
 */
export function prepareStatusModel(snapshot: Snapshot, pause: Pause): Promise<StatusModel> {
  const built = models.get(snapshot);
  if (built) return Promise.resolve(built);
  let pending = building.get(snapshot);
  if (!pending) {
    pending = runStepsSliced(statusModelSteps(snapshot, snapshot.statusConfig), pause).then((model) => {
      // A synchronous statusModelOf may have won the race meanwhile: keep the first, so every view agrees.
      if (!models.has(snapshot)) models.set(snapshot, model);
      building.delete(snapshot);
      return models.get(snapshot)!;
    });
    building.set(snapshot, pending);
  }
  return pending;
}
