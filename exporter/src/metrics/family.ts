import type { RunTotals, Snapshot } from '../snapshot/types';
import type { Pause } from '../util/time-slices';

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
  /** Work over the whole snapshot that `samples` needs (the status model), done in time slices first. */
  prepare?(snapshot: Snapshot, pause: Pause): Promise<unknown>;
}

export const TENANT_LABEL = 'tenant';

/** A state set: one series per possible state, 1 for the current one and 0 for the others. */
export function stateSet<S extends string>(labels: Labels, label: string, states: readonly S[], current: S): Sample[] {
  return states.map((state) => ({ labels: { ...labels, [label]: state }, value: state === current ? 1 : 0 }));
}

/** Histogram samples from cumulative bucket counts (bounds in ms, rendered in seconds). */
export function histogramSamples(
  labels: Labels,
  boundsMs: readonly number[],
  buckets: readonly number[],
  count: number,
  sumMs: number,
): Sample[] {
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

/** One sample per item that has a value (null: none), drawn lazily so the renderer can pause between items. */
export function* perItem<T>(items: readonly T[], labels: (item: T) => Labels, value: (item: T) => number | null): Generator<Sample> {
  for (const item of items) {
    const v = value(item);
    if (v !== null) yield { labels: labels(item), value: v };
  }
}

/** Several samples per item (a state set, a split by status), drawn lazily. */
export function* eachItem<T>(items: readonly T[], samples: (item: T) => Iterable<Sample>): Generator<Sample> {
  for (const item of items) yield* samples(item);
}

/**
 * Histograms of run durations summed over the items sharing a key (a provider, a rule), in key order.
 * One pass over the items: tens of thousands of them add up in a few milliseconds.
 */
export function* summedHistograms<T>(
  items: readonly T[],
  label: string,
  key: (item: T) => string,
  totals: (item: T) => RunTotals,
  boundsMs: readonly number[],
): Generator<Sample> {
  const sums = new Map<string, { buckets: number[]; count: number; sumMs: number }>();
  for (const item of items) {
    const k = key(item);
    let sum = sums.get(k);
    if (!sum) sums.set(k, (sum = { buckets: new Array<number>(boundsMs.length).fill(0), count: 0, sumMs: 0 }));
    const t = totals(item);
    for (let i = 0; i < boundsMs.length; i++) sum.buckets[i] += t.durationBuckets[i] ?? 0;
    sum.count += t.durationCount; // observations only: a run without a duration is in *_total, not here
    sum.sumMs += t.durationMsSum;
  }
  for (const k of [...sums.keys()].sort()) {
    const sum = sums.get(k)!;
    yield* histogramSamples({ [label]: k }, boundsMs, sum.buckets, sum.count, sum.sumMs);
  }
}
