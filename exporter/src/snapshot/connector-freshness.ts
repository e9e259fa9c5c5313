/**
 * The freshness thresholds the snapshot carries, in seconds: the connectors domain reads them from
 * FRESHNESS_CONFIG (connectors/freshness.ts) and judges by them; every view judges by the same values.
 */
export interface FreshnessThresholds {
  warnAfterSeconds: number | null;
  errorAfterSeconds: number | null;
}

export interface FreshnessPolicy {
  default: FreshnessThresholds;
  providers: Record<string, FreshnessThresholds>;
}
