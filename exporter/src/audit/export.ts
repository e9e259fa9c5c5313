import type { Request, Response } from 'express';
import type pg from 'pg';
import { stringify } from 'csv-stringify/sync';
import { logger } from '../log';
import { fetchPage, publicRow, type AuditQuery } from './query';
import type { RunResource } from './resources';

const BATCH = 1_000;

/**
 * Streams every matching row as CSV or NDJSON in keyset batches: memory stays at one batch whatever
 * the row count, each batch is a short indexed query (no long transaction holding back vacuum), and
 * writing waits for the client to drain, so a slow reader slows the export instead of filling memory.
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
  const stamp = new Date(query.toMs).toISOString().replace(/[:.]/g, '-');
  res.status(200);
  res.set('Content-Type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
  res.set('Content-Disposition', `attachment; filename="${resource.name}-${stamp}.${format}"`);
  if (dataRetentionDays !== null) res.set('X-Data-Retention-Days', String(dataRetentionDays));
  let closed = false;
  res.on('close', () => (closed = true));
  let position = query.position;
  let first = true;
  try {
    for (;;) {
      const rows = await fetchPage(pool, resource, { ...query, position, limit: BATCH });
      if (closed) return;
      const items = rows.map(publicRow);
      const chunk =
        format === 'csv'
          ? stringify(items, { header: first, columns: resource.columns, cast: { boolean: String } })
          : items.map((item) => JSON.stringify(item)).join('\n') + (items.length ? '\n' : '');
      first = false;
      if (chunk && !res.write(chunk)) await drained(res);
      if (rows.length < BATCH) break;
      const last = rows[rows.length - 1];
      position = { mode: 'older', startedAtUs: last.startedAtUs, id: last.id };
    }
    res.end();
  } catch (err) {
    // Headers are gone: cutting the connection tells the client the file is incomplete, unlike a clean end.
    logger.error({ err, resource: resource.name }, 'export failed midway');
    res.destroy(err as Error);
  }
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
