/**
 * Whether a query failed because the database could not serve it now (unreachable, restarting, out of
 * connections, or no pooled connection free in time), as opposed to a fault in the query or the
 * exporter. Such failures are answered with 503 and Retry-After: the client should come back, and no
 * stack trace is logged for them.
 */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);
// PostgreSQL SQLSTATEs: class 08 (connection exception), 53300 too many connections, 57P01..57P03
// shutting down or starting up, 57014 statement cancelled (statement_timeout under load).
const SQLSTATES = /^(08\d{3}|53300|57P0[123]|57014)$/;
const MESSAGES =
  /timeout exceeded when trying to connect|Connection terminated|connection timeout|the database system is (starting up|shutting down)/i;

export function isDatabaseUnavailable(err: unknown): boolean {
  for (
    let e = err as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0;
    e && depth < 4;
    e = e.cause as typeof e, depth++
  ) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (NETWORK_CODES.has(code) || SQLSTATES.test(code)) return true;
    if (typeof e.message === 'string' && MESSAGES.test(e.message)) return true;
  }
  return false;
}

/** Seconds a client is asked to wait before it retries a request the database could not serve. */
export const RETRY_AFTER_SECONDS = 5;
