/**
 * Cumulative counters (runs, failures, histogram buckets, deliveries) seen in earlier snapshots, so that
 * checks can judge what happened within a window rather than since the beginning of time. The engine
 * records each new snapshot once; a check asks for the change since the start of its window.
 */
interface Sample {
  at: number;
  values: readonly number[];
}

export interface WindowDelta {
  /** Current minus baseline, element by element; never negative (a reset counts from zero). */
  deltas: number[];
  /** How much time the delta covers: the window, or less while history is still short. */
  spanMs: number;
  /**
   * Whether the delta covers the whole window. A delta over less (a process that started within the
   * window) can show a condition, but not its absence: what happened before the first sample is unseen.
   */
  complete: boolean;
}

const MAX_KEEP_MS = 24 * 3600 * 1000;

export class CounterHistory {
  private samples = new Map<string, Sample[]>();

  record(key: string, at: number, values: readonly number[]): void {
    const list = this.samples.get(key) ?? [];
    if (list.length && list[list.length - 1].at >= at) return;
    list.push({ at, values: [...values] });
    // Keep one sample older than the longest window so a full window always has a baseline.
    while (list.length > 2 && list[1].at < at - MAX_KEEP_MS) list.shift();
    this.samples.set(key, list);
  }

  /** Keeps only what windows of `windowMs` can still need (called once per evaluation). */
  prune(now: number, windowMs: number): void {
    for (const [key, list] of this.samples) {
      while (list.length > 1 && list[1].at <= now - windowMs) list.shift();
      if (list.length && list[list.length - 1].at < now - 2 * windowMs) this.samples.delete(key);
    }
  }

  /**
   * The change of `current` since the newest sample at or before `now - window` (or the oldest sample
   * there is); null when nothing was recorded before, so a fresh process judges nothing on its first cycle.
   */
  delta(key: string, now: number, windowMs: number, current: readonly number[]): WindowDelta | null {
    const list = this.samples.get(key);
    if (!list?.length) return null;
    let base = list[0];
    for (const sample of list) if (sample.at <= now - windowMs) base = sample;
    if (base.at >= now) return null;
    return {
      deltas: current.map((value, i) => Math.max(0, value - (base.values[i] ?? 0))),
      spanMs: now - base.at,
      complete: base.at <= now - windowMs,
    };
  }
}
