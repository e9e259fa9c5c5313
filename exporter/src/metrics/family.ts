import type { Snapshot } from '../snapshot/types';

/**
 * Metric families as data (the kube-state-metrics way): a name, help, type, and a function from the
 * snapshot to samples at full detail. The renderer reduces them to the configured detail.
 */
export type Labels = Record<string, string>;
export type MetricType = 'gauge' | 'counter' | 'histogram' | 'info';
export type Detail = 'object' | 'tenant' | 'platform';
export const DETAILS: readonly Detail[] = ['object', 'tenant', 'platform'];

export interface Sample {
  labels: Labels;
  value: number;
  /** Histograms only: which series of the family this sample is. */
  suffix?: '_bucket' | '_sum' | '_count';
}

export interface MetricFamily {
  /** Without `_total` for counters and without `_info` for info families (added when rendered). */
  name: string;
  help: string;
  type: MetricType;
  /** Labels that name one object (connector, destination, rule): dropped below `object` detail. */
  objectLabels?: readonly string[];
  /**
   * How samples merge when labels are dropped: `sum` for counts, `max`/`min` for timestamps,
   * `drop` for families that only make sense per object (info, per-object thresholds).
   */
  merge: 'sum' | 'max' | 'min' | 'drop';
  /** An iterable, so that large families can be generators that the renderer consumes in time slices. */
  samples(snapshot: Snapshot): Iterable<Sample>;
}

export const TENANT_LABEL = 'tenant';

/** A state set: one series per possible state, 1 for the current one and 0 for the others. */
export function stateSet<S extends string>(labels: Labels, label: string, states: readonly S[], current: S): Sample[] {
  return states.map((state) => ({ labels: { ...labels, [label]: state }, value: state === current ? 1 : 0 }));
}

/** Histogram samples from cumulative bucket counts (bounds in ms, rendered in seconds). */
export function histogramSamples(labels: Labels, boundsMs: readonly number[], buckets: readonly number[], count: number, sumMs: number): Sample[] {
  const out: Sample[] = boundsMs.map((bound, i) => ({
    labels: { ...labels, le: formatLe(bound / 1000) },
    value: buckets[i] ?? 0,
    suffix: '_bucket' as const,
  }));
  out.push({ labels: { ...labels, le: '+Inf' }, value: count, suffix: '_bucket' });
  out.push({ labels, value: sumMs / 1000, suffix: '_sum' });
  out.push({ labels, value: count, suffix: '_count' });
  return out;
}

function formatLe(seconds: number): string {
  return Number.isInteger(seconds) ? seconds.toFixed(1) : String(seconds);
}

export const seconds = (ms: number | null): number | null => (ms === null ? null : ms / 1000);
