import type { Snapshot } from '../snapshot/types';
import type { MaintenanceWindow } from './maintenance';
import { buildStatusModel, type StatusModel } from './model';
import { DEFAULT_THRESHOLDS, type StatusThresholds } from './thresholds';

export interface StatusConfig {
  thresholds: StatusThresholds;
  maintenance: MaintenanceWindow[];
}

// The metric families are static data (metrics/catalogue.ts) and see only the snapshot, so the status
// mount records the configuration it was given here; /metrics and /status.json then show one truth.
let active: StatusConfig = { thresholds: DEFAULT_THRESHOLDS, maintenance: [] };

export function setActiveStatusConfig(config: StatusConfig): void {
  active = config;
  models = new WeakMap();
}

export const activeStatusConfig = (): StatusConfig => active;

let models = new WeakMap<Snapshot, StatusModel>();

/** The model of a snapshot under the active configuration, computed once per snapshot for /metrics. */
export function activeModel(snapshot: Snapshot): StatusModel {
  let model = models.get(snapshot);
  if (!model) {
    model = buildStatusModel(snapshot, active);
    models.set(snapshot, model);
  }
  return model;
}
