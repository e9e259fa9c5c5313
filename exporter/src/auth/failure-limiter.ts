/**
 * Counts failures per key in fixed windows, in bounded memory. When the table is full the key that
 * failed least recently makes room: one key's count is forgotten, never everyone's, so a probe from
 * many addresses cannot reset the count of a client that keeps failing.
 */
export interface FailureLimits {
  /** Failures per key and window after which the key is limited. */
  maxFailures: number;
  windowMs: number;
  /** Keys kept at most. */
  capacity: number;
}

interface Entry {
  windowStart: number;
  count: number;
}

export class FailureLimiter {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly limits: FailureLimits,
    private readonly clock: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  fail(key: string): void {
    const now = this.clock();
    const entry = this.live(key, now);
    // Re-inserted on every failure, so the Map's order is least recently failed first.
    this.entries.delete(key);
    this.entries.set(key, entry ? { windowStart: entry.windowStart, count: entry.count + 1 } : { windowStart: now, count: 1 });
    if (this.entries.size > this.limits.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  /** Seconds until `key` may fail again, or null when it is not limited. */
  retryAfter(key: string): number | null {
    const now = this.clock();
    const entry = this.live(key, now);
    if (!entry || entry.count < this.limits.maxFailures) return null;
    return Math.max(1, Math.ceil((entry.windowStart + this.limits.windowMs - now) / 1000));
  }

  private live(key: string, now: number): Entry | null {
    const entry = this.entries.get(key);
    return entry && now - entry.windowStart < this.limits.windowMs ? entry : null;
  }
}
