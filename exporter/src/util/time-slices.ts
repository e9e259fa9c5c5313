/**
 * Cooperative time slicing for work over tens of thousands of objects on the event loop that also
 * answers scrapes: the work yields now and then, and a slicer decides whether enough time has passed
 * to let the event loop run in between.
 */

/**
 * The longest run of work between two turns of the event loop: a scrape that arrives meanwhile waits
 * at most this long (plus garbage collection) for its cached bytes.
 */
export const SLICE_MS = 5;

/** A pause point: resolves at once within a slice, after one turn of the event loop once the slice is spent. */
export type Pause = () => Promise<void>;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Slices of at most `sliceMs` of work with a yield to the event loop in between. */
export function slicer(sliceMs = SLICE_MS): Pause {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < sliceMs) return;
    await yieldToEventLoop();
    since = performance.now();
  };
}

/**
 * Work written once as a generator that yields between chunks of items: run to completion at once
 * (`runSteps`, for small inputs and tests) or in time slices (`runStepsSliced`) by the same code.
 */
export type Steps<T> = Generator<void, T, void>;

/** Items between two yields of a step helper: a few hundred microseconds of simple judgments. */
export const STEP_ITEMS = 1_000;

export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

export async function runStepsSliced<T>(steps: Steps<T>, pause: Pause): Promise<T> {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    await pause();
  }
}

/** `items.filter(keep)`, yielding every STEP_ITEMS items. */
export function* filterSteps<T>(items: readonly T[], keep: (item: T) => boolean): Steps<T[]> {
  const out: T[] = [];
  for (let i = 0; i < items.length; i++) {
    if (keep(items[i])) out.push(items[i]);
    if (i % STEP_ITEMS === STEP_ITEMS - 1) yield;
  }
  return out;
}

/** `items.map(map)`, yielding every STEP_ITEMS items. */
export function* mapSteps<T, U>(items: readonly T[], map: (item: T) => U): Steps<U[]> {
  const out: U[] = new Array<U>(items.length);
  for (let i = 0; i < items.length; i++) {
    out[i] = map(items[i]);
    if (i % STEP_ITEMS === STEP_ITEMS - 1) yield;
  }
  return out;
}

/** How many items pass `test`, yielding every STEP_ITEMS items. */
export function* countSteps<T>(items: readonly T[], test: (item: T) => boolean): Steps<number> {
  let n = 0;
  for (let i = 0; i < items.length; i++) {
    if (test(items[i])) n += 1;
    if (i % STEP_ITEMS === STEP_ITEMS - 1) yield;
  }
  return n;
}

/** Items grouped by key in insertion order of the keys (util/group-by.ts), yielding every STEP_ITEMS items. */
export function* groupBySteps<T, K>(items: readonly T[], key: (item: T) => K): Steps<Map<K, T[]>> {
  const groups = new Map<K, T[]>();
  for (let i = 0; i < items.length; i++) {
    const k = key(items[i]);
    const list = groups.get(k);
    if (list) list.push(items[i]);
    else groups.set(k, [items[i]]);
    if (i % STEP_ITEMS === STEP_ITEMS - 1) yield;
  }
  return groups;
}
