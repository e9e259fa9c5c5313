import type { Settings } from '../config/settings';

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

export function thresholdsFromSettings(settings: Settings): StatusThresholds {
  return {
    consecutiveFailures: settings.STATUS_CONSECUTIVE_FAILURES,
    failureRatioMinor: settings.STATUS_FAILURE_RATIO_MINOR,
    failureRatioMajor: Math.max(settings.STATUS_FAILURE_RATIO_MAJOR, settings.STATUS_FAILURE_RATIO_MINOR),
    minRunsForRatio: DEFAULT_THRESHOLDS.minRunsForRatio,
    queueWarnSeconds: settings.STATUS_QUEUE_WARN_SECONDS,
    queueErrorSeconds: Math.max(settings.STATUS_QUEUE_ERROR_SECONDS, settings.STATUS_QUEUE_WARN_SECONDS),
    dataWarnSeconds: settings.STATUS_DATA_WARN_SECONDS,
    dataErrorSeconds: Math.max(settings.STATUS_DATA_ERROR_SECONDS, settings.STATUS_DATA_WARN_SECONDS),
  };
}
