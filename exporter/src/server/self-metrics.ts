import { backgroundFamilies } from '../background/metrics';
import type { MetricFamily } from '../metrics/family';
import { shardLabel, UNSHARDED_ROLE, type ShardRole } from '../metrics/shard';
import { VERSION } from './version';

export interface RenderOutcome {
  series: number;
  detail: string;
  limited: boolean;
  /** The periodic verify's outcome; absent when it is switched off (VERIFY_INTERVAL_SECONDS=0). */
  verify?: VerifyStatus | null;
  /** SHARD, TOTAL_SHARDS and SHARD_COLLECTION; unsharded when absent. */
  role?: ShardRole;
}

export interface VerifyStatus {
  /** The snapshot time (epoch ms) of the last completed run; null before the first. */
  lastRunAt: number | null;
  /** Whether the last run completed; null before the first. */
  success: boolean | null;
  families: { family: string; compared: number; differences: number }[];
}

/** The exporter's own health, rendered with every snapshot after the domain families are counted. */
export function exporterFamilies(outcome: RenderOutcome): MetricFamily[] {
  return [
    {
      name: 'aperio_exporter_build',
      type: 'info',
      help: 'Version of the running exporter; value is always 1.',
      merge: 'drop',
      samples: () => [{ labels: { version: VERSION, nodejs: process.version }, value: 1 }],
    },
    {
      name: 'aperio_exporter_shard',
      type: 'info',
      help: 'Which shard of the tenants this replica exposes (SHARD of TOTAL_SHARDS, or platform; shard="0",total_shards="1" when unsharded) and whether it collects only them (collection="own") or every tenant ("whole"); value is always 1.',
      merge: 'drop',
      samples: () => {
        const role = outcome.role ?? UNSHARDED_ROLE;
        const labels = { shard: shardLabel(role), total_shards: String(role.total), collection: role.ownTenantsOnly ? 'own' : 'whole' };
        return [{ labels, value: 1 }];
      },
    },
    {
      name: 'aperio_exporter_collect_duration_seconds',
      type: 'gauge',
      help: 'How long the last collection of each collector took.',
      merge: 'max',
      samples: (s) => s.collections.map((c) => ({ labels: { collector: c.collector }, value: c.durationSeconds })),
    },
    {
      name: 'aperio_exporter_collect_success',
      type: 'gauge',
      help: '1 if the last collection of the collector succeeded, 0 if it failed (its previous data is still served).',
      merge: 'min',
      samples: (s) => s.collections.map((c) => ({ labels: { collector: c.collector }, value: c.success ? 1 : 0 })),
    },
    {
      name: 'aperio_exporter_collector_last_success_timestamp_seconds',
      type: 'gauge',
      help: 'Unix time each collector last succeeded: the age of its data.',
      merge: 'min',
      samples: (s) =>
        s.collections.flatMap((c) =>
          c.lastSuccessAt === null ? [] : [{ labels: { collector: c.collector }, value: c.lastSuccessAt / 1000 }],
        ),
    },
    {
      name: 'aperio_exporter_snapshot_timestamp_seconds',
      type: 'gauge',
      help: 'Unix time of the newest complete snapshot; time() minus this is the age of the data served.',
      merge: 'max',
      samples: (s) => (s.dataAsOf ? [{ labels: {}, value: s.dataAsOf / 1000 }] : []),
    },
    {
      name: 'aperio_exporter_database_reachable',
      type: 'gauge',
      help: '1 if the last collection reached PostgreSQL, 0 if not.',
      merge: 'min',
      samples: (s) => [{ labels: {}, value: s.databaseReachable ? 1 : 0 }],
    },
    {
      name: 'aperio_exporter_series',
      type: 'gauge',
      help: 'Series in the last rendered exposition from the snapshot (excluding process metrics).',
      merge: 'max',
      samples: () => [{ labels: { detail: outcome.detail }, value: outcome.series }],
    },
    {
      name: 'aperio_exporter_series_limited',
      type: 'gauge',
      help: '1 if the series budget (METRICS_SERIES_LIMIT) forced a coarser detail than METRICS_DETAIL.',
      merge: 'max',
      samples: () => [{ labels: {}, value: outcome.limited ? 1 : 0 }],
    },
    ...backgroundFamilies,
    ...verifyFamilies(outcome.verify ?? null),
  ];
}

/** docs/verification.md: what verify compared, and how many values differed from their definitions. */
function verifyFamilies(status: VerifyStatus | null): MetricFamily[] {
  const perFamily = (value: (f: VerifyStatus['families'][number]) => number) =>
    (status?.families ?? []).map((f) => ({ labels: { family: f.family }, value: value(f) }));
  return [
    {
      name: 'aperio_exporter_verify_success',
      type: 'gauge',
      help: '1 if the last periodic verify (VERIFY_INTERVAL_SECONDS) completed, 0 if it failed (database unreachable, statement timeout).',
      merge: 'min',
      samples: () => (status?.success === null || !status ? [] : [{ labels: {}, value: status.success ? 1 : 0 }]),
    },
    {
      name: 'aperio_exporter_verify_last_run_timestamp_seconds',
      type: 'gauge',
      help: 'Unix time of the snapshot the last completed verify checked against its definitions.',
      merge: 'max',
      samples: () => (status?.lastRunAt ? [{ labels: {}, value: status.lastRunAt / 1000 }] : []),
    },
    {
      name: 'aperio_exporter_verify_values_compared',
      type: 'gauge',
      help: 'Values of each metric family that the last completed verify recomputed and compared.',
      merge: 'sum',
      samples: () => perFamily((f) => f.compared),
    },
    {
      name: 'aperio_exporter_verify_differences',
      type: 'gauge',
      help: 'Values of each metric family that differed from their recomputed definition in the last completed verify.',
      merge: 'sum',
      samples: () => perFamily((f) => f.differences),
    },
  ];
}
