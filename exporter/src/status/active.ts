import type { Snapshot } from '../snapshot/types';
import type { MaintenanceWindow } from './maintenance';
import { buildStatusModel, type StatusModel } from './model';
import { DEFAULT_THRESHOLDS, type StatusThresholds } from './thresholds';

/** The status page's configuration; it travels in the snapshot, so every view judges by the same rules. */
export interface StatusConfig {
  thresholds: StatusThresholds;
  maintenance: MaintenanceWindow[];
}

export const DEFAULT_STATUS_CONFIG: StatusConfig = { thresholds: DEFAULT_THRESHOLDS, maintenance: [] };

const models = new WeakMap<Snapshot, StatusModel>();

/** The status model of a snapshot, computed once per snapshot and shared by /metrics and the status routes. */
export function statusModelOf(snapshot: Snapshot): StatusModel {
  let model = models.get(snapshot);
  if (!model) {
    model = buildStatusModel(snapshot, snapshot.statusConfig);
    models.set(snapshot, model);
  }
  return model;
}
