/**
 * Which new rows may be emitted now. Ids come from a sequence, and sequence order is not commit order:
 * a transaction can hold id 9 uncommitted while id 10 is already visible. Advancing past 9 would lose it
 * forever, so the tail only moves over contiguous ids. At a gap it waits: the ids below the highest id
 * seen were all handed out before that moment, so once GAP_WINDOW has passed since then, a missing id
 * belongs to a rolled-back insert (or one slower than the window) and is skipped. Workers insert a run
 * in one short statement, so a window of seconds costs only latency when a gap appears.
 */
export interface Barrier {
  /** The highest id seen when the tail first stopped at a gap. */
  maxSeen: number;
  /** When it was seen (ms). */
  since: number;
}

export interface Frontier {
  lastId: number;
  barrier: Barrier | null;
}

/** How many of `ids` (ascending, all above lastId) can be emitted now, and the barrier to keep. */
export function advance(
  state: Frontier,
  ids: readonly number[],
  now: number,
  windowMs: number,
): { count: number; barrier: Barrier | null } {
  let barrier = state.barrier;
  const expired = barrier !== null && now - barrier.since >= windowMs;
  let expected = state.lastId + 1;
  let count = 0;
  for (const id of ids) {
    if (id !== expected && !(expired && barrier !== null && id <= barrier.maxSeen)) break;
    count += 1;
    expected = id + 1;
  }
  if (count < ids.length) {
    // Stopped at a gap: start timing it, unless a barrier already covers it and is still running.
    if (barrier === null || expired) barrier = { maxSeen: ids[ids.length - 1], since: now };
  } else if (barrier !== null && expected - 1 >= barrier.maxSeen) {
    barrier = null;
  }
  return { count, barrier };
}
