/**
 * Retry semantics, written once (docs/metrics.md, "Retries"). `attempts` counts starts: a worker
 * increments it when it picks a job or a delivery up. So a job back in the queue after one failed start
 * (QUEUED, attempts 1) is already a retry, and a running job is a retry from its second start on.
 * SQL over a table aliased `alias`; the statuses are those of docs/schema.md.
 */
export const JOB_RETRYING_SQL = (alias: string) =>
  `((${alias}.status = 'QUEUED' AND ${alias}.attempts >= 1) OR (${alias}.status = 'RUNNING' AND ${alias}.attempts >= 2))`;

/** A delivery waiting for its first attempt. */
export const DELIVERY_FIRST_ATTEMPT_SQL = (alias: string) => `(${alias}.status = 'PENDING' AND ${alias}.attempts = 0)`;

/** A delivery that failed at least once and waits for another attempt, whether its worker marks it RETRYING or puts it back as PENDING. */
export const DELIVERY_RETRYING_SQL = (alias: string) =>
  `(${alias}.status = 'RETRYING' OR (${alias}.status = 'PENDING' AND ${alias}.attempts >= 1))`;
