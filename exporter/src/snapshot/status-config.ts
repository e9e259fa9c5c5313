/**
 * The status page's configuration: it travels in the snapshot, so every view judges by the same rules.
 * The status domain fills it from settings (status/thresholds.ts) and the maintenance file
 * (status/maintenance.ts).
 */

/** The numbers every component status is derived from; docs/status.md explains each rule. */
export interface StatusThresholds {
  consecutiveFailures: number;
  failureRatioMinor: number;
  failureRatioMajor: number;
  /** Fewer runs than this in the recent window say too little for a failure ratio. */
  minRunsForRatio: number;
  queueWarnSeconds: number;
  queueErrorSeconds: number;
  dataWarnSeconds: number;
  dataErrorSeconds: number;
}

export const DEFAULT_THRESHOLDS: StatusThresholds = {
  consecutiveFailures: 3,
  failureRatioMinor: 0.1,
  failureRatioMajor: 0.5,
  minRunsForRatio: 3,
  queueWarnSeconds: 120,
  queueErrorSeconds: 900,
  dataWarnSeconds: 60,
  dataErrorSeconds: 300,
};

/** A declared maintenance window (STATUS_MAINTENANCE_FILE; example in docs/status.md). */
export interface MaintenanceWindow {
  id: string;
  name: string;
  body: string;
  startsAt: number;
  endsAt: number;
  /** Component or group ids; a group id covers its components. */
  components: string[];
}

export interface StatusConfig {
  thresholds: StatusThresholds;
  maintenance: MaintenanceWindow[];
}

export const DEFAULT_STATUS_CONFIG: StatusConfig = { thresholds: DEFAULT_THRESHOLDS, maintenance: [] };
