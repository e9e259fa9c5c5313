import type { Settings } from '../config/settings';
import { DEFAULT_THRESHOLDS, type StatusThresholds } from '../snapshot/status-config';

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
