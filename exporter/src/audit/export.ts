import type { Request, Response } from 'express';
import type pg from 'pg';
import { stringify } from 'csv-stringify/sync';
import { isDatabaseUnavailable } from '../db/unavailable';
import { logger } from '../log';
import { fetchPage, publicRow, type AuditQuery, type Position, type RunRow } from './query';
import type { RunResource } from './resources';

const BATCH = 1_000;
/** A batch the database could not serve (no connection free in time, a restart) is tried again this often. */
const BATCH_ATTEMPTS = 3;
const RETRY_PAUSE_MS = 1_000;
/** The HTTP trailer that says how the export ended: `complete`, or `incomplete: <reason>`. */
export const EXPORT_STATUS_TRAILER = 'X-Export-Status';

/**
 * Streams every matching row as CSV or NDJSON in keyset batches: memory stays at one batch whatever
 * the row count, each batch is a short indexed query (no long transaction holding back vacuum), and
 * writing waits for the client to drain, so a slow reader slows the export instead of filling memory.
 *
 * An export either completes or says it did not: the first batch is read before the 200 is sent (a
 * database that cannot serve it is a 503 like any request), a later batch that fails is retried, and
 * if it still fails the body ends with an error line (NDJSON: `{"error": {...}}`; CSV: a row starting
 * `#error`) and the `X-Export-Status` trailer reads `incomplete: ...` instead of `complete`.
 */
export async function streamExport(
  _req: Request,
  res: Response,
  pool: pg.Pool,
  resource: RunResource,
  query: AuditQuery,
  format: 'csv' | 'ndjson',
  dataRetentionDays: number | null,
): Promise<void> {
  const read = (position: Position | null) => fetchPage(pool, resource, { ...query, position, limit: BATCH });
  let rows = await read(query.position); // a failure here is answered by the error path (503 or 500)
  const stamp = new Date(query.toMs).toISOString().replace(/[:.]/g, '-');
  res.status(200);
  res.set('Content-Type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
  res.set('Content-Disposition', `attachment; filename="${resource.name}-${stamp}.${format}"`);
  res.set('Trailer', EXPORT_STATUS_TRAILER);
  if (dataRetentionDays !== null) res.set('X-Data-Retention-Days', String(dataRetentionDays));
  let closed = false;
  res.on('close', () => (closed = true));
  let first = true;
  for (;;) {
    const items = rows.map(publicRow);
    const chunk =
      format === 'csv'
        ? stringify(items, { header: first, columns: resource.columns, cast: { boolean: String } })
        : items.map((item) => JSON.stringify(item)).join('\n') + (items.length ? '\n' : '');
    first = false;
    if (chunk && !res.write(chunk)) await drained(res);
    if (closed) return;
    if (rows.length < BATCH) break;
    const last = rows[rows.length - 1];
    const next = await readWithRetries(() => read({ mode: 'older', startedAtUs: last.startedAtUs, id: last.id }));
    if (closed) return;
    if ('failure' in next) {
      endIncomplete(res, format, resource, next.failure);
      return;
    }
    rows = next.rows;
  }
  res.addTrailers({ [EXPORT_STATUS_TRAILER]: 'complete' });
  res.end();
}

async function readWithRetries(read: () => Promise<RunRow[]>): Promise<{ rows: RunRow[] } | { failure: Error }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { rows: await read() };
    } catch (err) {
      if (!isDatabaseUnavailable(err) || attempt >= BATCH_ATTEMPTS) return { failure: err as Error };
      await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS * attempt));
    }
  }
}

/** Headers are gone: the end of the body and the trailer say the file is incomplete, and why. */
function endIncomplete(res: Response, format: 'csv' | 'ndjson', resource: RunResource, err: Error): void {
  const unavailable = isDatabaseUnavailable(err);
  if (unavailable) logger.warn({ err: err.message, resource: resource.name }, 'export ended incomplete: database unavailable');
  else logger.error({ err, resource: resource.name }, 'export failed midway');
  const message = unavailable
    ? 'the database became unavailable; the export is incomplete, retry it'
    : 'the export failed midway (see the exporter log); it is incomplete';
  const code = unavailable ? 'database_unavailable' : 'internal';
  res.write(format === 'csv' ? `#error,${code},"${message}"\n` : `${JSON.stringify({ error: { code, message, field: null } })}\n`);
  res.addTrailers({ [EXPORT_STATUS_TRAILER]: `incomplete: ${code}` });
  res.end();
}

/** Waits until the client has taken the buffered output, or has gone away (then 'drain' never comes). */
function drained(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
