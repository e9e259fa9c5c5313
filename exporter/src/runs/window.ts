/** How far back the per-object recent reads (last syncs, consecutive failures) look: a week of partitions at most. */
export const RECENT_WINDOW_MS = 7 * 24 * 3600 * 1000;
