import { createHash } from 'node:crypto';
import { badRequest } from './errors';

/**
 * Opaque keyset cursors: base64url JSON holding the position (startedAt in microseconds, id), the
 * time window of the first page and a hash of the filters and tenant scope they were issued for.
 * Nothing in a cursor grants anything: the scope always comes from the token, and a cursor used with
 * other filters or another scope is refused, so tampering can only move a position within one's own rows.
 */
export type CursorMode = 'older' | 'newer';

export interface Cursor {
  mode: CursorMode;
  startedAtUs: number;
  id: string;
  fromMs: number;
  toMs: number;
  filterHash: string;
}

interface Wire {
  v: 1;
  m: CursorMode;
  t: number;
  i: string;
  f: number;
  u: number;
  h: string;
}

export function filterHash(resource: string, scope: string, params: Record<string, string | undefined>): string {
  const canonical = Object.entries(params)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return createHash('sha256').update(JSON.stringify([resource, scope, canonical])).digest('base64url').slice(0, 22);
}

export function encodeCursor(cursor: Cursor): string {
  const wire: Wire = { v: 1, m: cursor.mode, t: cursor.startedAtUs, i: cursor.id, f: cursor.fromMs, u: cursor.toMs, h: cursor.filterHash };
  return Buffer.from(JSON.stringify(wire)).toString('base64url');
}

export function decodeCursor(text: string, expectedHash: string): Cursor {
  let wire: Partial<Wire>;
  try {
    if (!/^[A-Za-z0-9_-]{1,1000}$/.test(text)) throw new Error('not base64url');
    wire = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<Wire>;
  } catch {
    throw badRequest('cursor', 'cursor is malformed; use the cursor of a previous response unchanged', 'invalid_cursor');
  }
  const valid =
    wire !== null &&
    typeof wire === 'object' &&
    wire.v === 1 &&
    (wire.m === 'older' || wire.m === 'newer') &&
    Number.isSafeInteger(wire.t) &&
    typeof wire.i === 'string' &&
    /^\d{1,19}$/.test(wire.i) &&
    Number.isSafeInteger(wire.f) &&
    Number.isSafeInteger(wire.u) &&
    typeof wire.h === 'string';
  if (!valid) throw badRequest('cursor', 'cursor is malformed; use the cursor of a previous response unchanged', 'invalid_cursor');
  if (wire.h !== expectedHash) {
    throw badRequest('cursor', 'cursor was issued for other filters or another tenant; repeat the same filters or start without a cursor', 'cursor_mismatch');
  }
  return { mode: wire.m!, startedAtUs: wire.t!, id: wire.i!, fromMs: wire.f!, toMs: wire.u!, filterHash: wire.h! };
}
