/** Run outcomes that count as failures in every ratio, counter and check. SKIPPED is neither. */
export const FAILURE_STATUSES = ['FAILED', 'TIMED_OUT'] as const;
export const FAILURE_STATUS_SQL = `('FAILED', 'TIMED_OUT')`;
