/** The session advisory lock the evaluating replica holds (background/leader-lock.ts): 'aperiomn' as a bigint. */
export const LEADER_LOCK_KEY = '7020103018034900334';
