/**
 * The self-monitoring vocabulary the snapshot carries: the monitors write findings of these categories
 * (monitors/), the snapshot reads the open ones back, and /metrics and the status page show them.
 */

/** The checks, by the Finding category they write. */
export const CHECKS = [
  'aperio.platform.connector_stale',
  'aperio.platform.connector_failing',
  'aperio.platform.siem_dead_letter',
  'aperio.platform.ingestion_backlog',
  'aperio.platform.rule_failing',
  'aperio.platform.rule_slow',
  'aperio.platform.schedule_missed',
  'aperio.platform.exporter_stale_data',
] as const;
export type CheckName = (typeof CHECKS)[number];

/** Aperio's Finding severities, lowest first. */
export const SEVERITIES = ['INFO', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** An open platform finding as the snapshot carries it: what /metrics and the status page show. */
export interface PlatformFinding {
  id: string;
  check: CheckName;
  dedupKey: string;
  tenantId: string | null;
  severity: Severity;
  title: string;
  createdAt: number;
  updatedAt: number;
}
