import { groupBySteps, runSteps } from './time-slices';

/** Groups items by a key in one pass (in insertion order of the keys); linear, unlike copying arrays per item. */
export function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  return runSteps(groupBySteps(items, key));
}
