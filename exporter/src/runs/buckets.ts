/**
 * Duration histograms are stored as cumulative counts per bucket bound (ms), so that rollups, running
 * totals and raw rows add up element by element and Prometheus `le` buckets are read off directly.
 */
export const RULE_DURATION_BOUNDS_MS = [50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 120_000, 300_000];
export const SYNC_DURATION_BOUNDS_MS = [1_000, 5_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000];

/** SQL for `ARRAY[count(*) FILTER (WHERE col <= b1), ...]::bigint[]` over the given bounds (constants, not input). */
export function cumulativeBucketsSql(column: string, bounds: readonly number[]): string {
  const parts = bounds.map((bound) => `count(*) FILTER (WHERE ${column} <= ${Math.trunc(bound)})`);
  return `ARRAY[${parts.join(', ')}]::bigint[]`;
}

export function addBuckets(a: readonly number[] | null | undefined, b: readonly number[] | null | undefined, size: number): number[] {
  const out = new Array<number>(size).fill(0);
  for (let i = 0; i < size; i++) out[i] = (a?.[i] ?? 0) + (b?.[i] ?? 0);
  return out;
}
