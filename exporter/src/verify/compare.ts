import type { Labels, MetricFamily, Sample } from '../metrics/family';
import type { ComparedFamily, Recomputed } from './types';

export interface Difference {
  family: string;
  series: string;
  labels: Labels;
  /** null: the series is absent on that side. */
  snapshot: number | null;
  recomputed: number | null;
}

export interface FamilyResult {
  family: string;
  compared: number;
  differences: Difference[];
  /** Why the family was not compared (e.g. it has no tenant label and only a sample of tenants is verified). */
  skipped: string | null;
}

/** A snapshot value as /metrics names it: counters with `_total`, histogram series with their suffix. */
export const seriesName = (family: MetricFamily, sample: Sample) =>
  family.type === 'counter' ? `${family.name}_total` : family.type === 'histogram' ? `${family.name}${sample.suffix ?? ''}` : family.name;

// `le` compared as a number: "0.05" and "5e-2" are the same bucket.
const normalise = (key: string, value: string) => (key === 'le' && value !== '+Inf' ? String(Number(value)) : value);
const keyOf = (labels: Labels, keys: readonly string[]) => keys.map((k) => `${k}=${normalise(k, labels[k] ?? '')}`).join('\u0000');
const pick = (labels: Labels, keys: readonly string[]): Labels =>
  Object.fromEntries(keys.filter((k) => k in labels).map((k) => [k, labels[k]]));

const TIMESTAMP_TOLERANCE_S = 0.001;

function differs(kind: ComparedFamily['compare'], snapshot: number | null, recomputed: number | null): boolean {
  if (kind === 'timestamp') {
    if (snapshot === null || recomputed === null) return snapshot !== recomputed;
    return Math.abs(snapshot - recomputed) > TIMESTAMP_TOLERANCE_S;
  }
  const a = snapshot ?? 0;
  const b = recomputed ?? 0;
  // Sums of durations in seconds are floats; counts are exact.
  return Math.abs(a - b) > 1e-9 * Math.max(1, Math.abs(b));
}

/**
 * Compares one family's samples (object detail, as /metrics shows them) with the recomputed values. The
 * recomputed values are at the finest detail of their definition; where the family labels less (a
 * histogram by rule across tenants), they are summed onto the family's own labels. `tenants` restricts
 * both sides to a sample of tenants (by slug); a family without a tenant label cannot be restricted and
 * is skipped then.
 */
export function compareFamily(
  spec: ComparedFamily,
  family: MetricFamily | undefined,
  recomputed: Recomputed[],
  samples: Iterable<Sample>,
  tenants: Set<string> | null,
): FamilyResult {
  const result: FamilyResult = { family: spec.name, compared: 0, differences: [], skipped: null };
  if (!family) {
    result.skipped = 'not exposed by this exporter';
    return result;
  }
  const bySeries = new Map<string, { labels: Labels; value: number }[]>();
  for (const sample of samples) {
    const name = seriesName(family, sample);
    if (!bySeries.has(name)) bySeries.set(name, []);
    bySeries.get(name)!.push({ labels: sample.labels, value: sample.value });
  }
  const all = [...bySeries.values()].flat();
  if (tenants && all.some((s) => !('tenant' in s.labels))) {
    result.skipped = 'no tenant label: not comparable on a sample of tenants';
    return result;
  }
  const mine = recomputed.filter((r) => r.family === spec.name);
  const names = new Set([...bySeries.keys(), ...mine.map((r) => r.series)]);
  for (const name of [...names].sort()) {
    const shown = (bySeries.get(name) ?? []).filter((s) => !tenants || tenants.has(s.labels.tenant));
    const expected = mine.filter((r) => r.series === name);
    const source = shown.length ? shown : expected;
    const keys = [...new Set(source.flatMap((s) => Object.keys(s.labels)))].sort();
    const rows = new Map<string, { labels: Labels; snapshot: number | null; recomputed: number | null }>();
    const row = (labels: Labels) => {
      const key = keyOf(labels, keys);
      let entry = rows.get(key);
      if (!entry) rows.set(key, (entry = { labels: pick(labels, keys), snapshot: null, recomputed: null }));
      return entry;
    };
    for (const s of shown) {
      const entry = row(s.labels);
      entry.snapshot = (entry.snapshot ?? 0) + s.value;
    }
    for (const r of expected) {
      const entry = row(r.labels);
      entry.recomputed = (entry.recomputed ?? 0) + r.value;
    }
    for (const entry of rows.values()) {
      result.compared += 1;
      if (differs(spec.compare, entry.snapshot, entry.recomputed)) result.differences.push({ family: spec.name, series: name, ...entry });
    }
  }
  return result;
}
