/**
 * The q-quantile of a histogram from cumulative bucket counts, interpolated linearly inside the bucket
 * the way Prometheus' histogram_quantile does; above the last bound it answers the last bound.
 */
export function bucketQuantile(q: number, boundsMs: readonly number[], cumulative: readonly number[], total: number): number | null {
  if (total <= 0) return null;
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (let i = 0; i < boundsMs.length; i++) {
    const count = cumulative[i] ?? 0;
    if (count >= rank) {
      const inBucket = count - lowerCount;
      return inBucket <= 0 ? boundsMs[i] : lowerBound + ((boundsMs[i] - lowerBound) * (rank - lowerCount)) / inBucket;
    }
    lowerBound = boundsMs[i];
    lowerCount = count;
  }
  return boundsMs[boundsMs.length - 1];
}
