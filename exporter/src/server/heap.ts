import { setFlagsFromString } from 'node:v8';

/**
 * Each collection replaces a snapshot of tens of megabytes and each rendering churns through strings,
 * so most of the heap is garbage of earlier collections. V8's default lets the old space grow to up to
 * four times what survived the last full collection before collecting again; at 40,000 connectors that
 * was a 560 MB heap holding about 150 MB of live data. A growing factor of 1.25 keeps the heap near
 * what is live, at the cost of more frequent (incremental, mostly concurrent) major collections; in
 * the bench at full scale it also gave shorter stalls than 1.5 (a smaller heap to mark in each final
 * pause). V8 reads this flag at each heap-limit computation, so setting it at startup takes effect.
 */
export const HEAP_GROWING_PERCENT = 25;

export function keepHeapNearLiveSize(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
