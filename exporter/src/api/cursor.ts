import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { badRequest } from './errors';
import { EARLIEST_MS, LATEST_MS } from './params';

/**
 * Opaque keyset cursors: base64url JSON holding the position (startedAt in microseconds, id), the
 * time window of the first page and a keyed hash of the filters and tenant scope they were issued for,
 * followed by an HMAC of all of it under the deployment's key. Nothing in a cursor grants anything: the
 * scope always comes from the token. The HMAC means a client can neither forge a position nor recompute
 * the filter hash for edited filters, and the bounds below keep every value inside what PostgreSQL's
 * bigint and JavaScript's Date can hold, so an edited cursor is a 400, never a failed query.
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
  v: 2;
  m: CursorMode;
  t: number;
  i: string;
  f: number;
  u: number;
  h: string;
}

/** The largest PostgreSQL bigint, the type of the run tables' ids. */
const MAX_BIGINT = 9223372036854775807n;
// Times a cursor may hold: those `from` and `to` accept (params.ts), so no query or toISOString fails.
const [MIN_MS, MAX_MS] = [EARLIEST_MS, LATEST_MS];

const validId = (id: unknown): id is string => typeof id === 'string' && /^\d{1,19}$/.test(id) && BigInt(id) <= MAX_BIGINT;
const validMs = (ms: unknown): ms is number => Number.isSafeInteger(ms) && (ms as number) >= MIN_MS && (ms as number) <= MAX_MS;
// Microseconds of the years 0000 to 9999 pass 2^53: whole numbers, exact to a few microseconds at the far end.
const validUs = (us: unknown): us is number => Number.isInteger(us) && (us as number) >= MIN_MS * 1000 && (us as number) <= MAX_MS * 1000;

const validWire = (wire: Partial<Wire> | null): wire is Wire =>
  wire !== null &&
  typeof wire === 'object' &&
  wire.v === 2 &&
  (wire.m === 'older' || wire.m === 'newer') &&
  validUs(wire.t) &&
  validId(wire.i) &&
  validMs(wire.f) &&
  validMs(wire.u) &&
  typeof wire.h === 'string';

const malformed = () => badRequest('cursor', 'cursor is malformed; use the cursor of a previous response unchanged', 'invalid_cursor');

export interface CursorCodec {
  filterHash(resource: string, scope: string, params: Record<string, string | undefined>): string;
  encode(cursor: Cursor): string;
  decode(text: string, expectedHash: string): Cursor;
}

/**
 * Cursors signed with `key` (API_CURSOR_KEY). Replicas behind one load balancer need the same key, and
 * so do cursors meant to outlive a restart; without one, a random key per process is used.
 */
export function createCursorCodec(key: string | Buffer = randomBytes(32)): CursorCodec {
  const mac = (...parts: string[]) => {
    const hmac = createHmac('sha256', key);
    for (const part of parts) hmac.update(part).update('\0');
    return hmac.digest();
  };
  return {
    filterHash(resource, scope, params) {
      const canonical = Object.entries(params)
        .filter(([, value]) => value !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : 1));
      return mac('filters', JSON.stringify([resource, scope, canonical]))
        .toString('base64url')
        .slice(0, 22);
    },
    encode(cursor) {
      const wire: Wire = {
        v: 2,
        m: cursor.mode,
        t: cursor.startedAtUs,
        i: cursor.id,
        f: cursor.fromMs,
        u: cursor.toMs,
        h: cursor.filterHash,
      };
      const payload = Buffer.from(JSON.stringify(wire)).toString('base64url');
      return `${payload}.${mac('cursor', payload).toString('base64url')}`;
    },
    decode(text, expectedHash) {
      const match = /^([A-Za-z0-9_-]{1,1000})\.([A-Za-z0-9_-]{43})$/.exec(text);
      if (!match) throw malformed();
      const [, payload, signature] = match;
      const given = Buffer.from(signature, 'base64url');
      const wanted = mac('cursor', payload);
      if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
        throw badRequest(
          'cursor',
          'cursor was not issued by this deployment or was edited; use the cursor of a previous response unchanged',
          'invalid_cursor',
        );
      }
      let wire: Partial<Wire>;
      try {
        wire = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<Wire>;
      } catch {
        throw malformed();
      }
      if (!validWire(wire)) throw malformed();
      if (wire.h !== expectedHash) {
        throw badRequest(
          'cursor',
          'cursor was issued for other filters or another tenant; repeat the same filters or start without a cursor',
          'cursor_mismatch',
        );
      }
      if (wire.f > wire.u)
        throw badRequest('cursor', "the cursor's window ends before it starts; start without a cursor", 'invalid_cursor');
      return { mode: wire.m, startedAtUs: wire.t, id: wire.i, fromMs: wire.f, toMs: wire.u, filterHash: wire.h };
    },
  };
}
