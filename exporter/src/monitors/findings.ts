import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { CHECKS } from '../snapshot/platform-findings';
import { dedupKey, type Observation } from './types';

/**
 * Writes the platform findings: only `Finding` rows whose category is one of the checks. Every
 * statement is parameterised. Opening takes a transaction-scoped advisory lock on the dedupKey and
 * looks for an open row first, so even two writers that both believe they lead (a lock lost between
 * two statements) cannot create a second open finding for one (check, subject).
 */
export interface OpenFinding {
  id: string;
  dedupKey: string;
}

// Two-key advisory locks (class, hash) live apart from the leader's one-key lock.
const DEDUP_LOCK_CLASS = 0x61706c66; // 'aplf'

export async function loadOpenFindings(client: pg.ClientBase): Promise<Map<string, OpenFinding>> {
  const { rows } = await client.query<OpenFinding>(
    `SELECT id, "dedupKey" FROM "Finding" WHERE status = 'OPEN' AND category = ANY($1::text[]) AND "dedupKey" IS NOT NULL ORDER BY "createdAt"`,
    [CHECKS],
  );
  return new Map(rows.map((row) => [row.dedupKey, row]));
}

/**
 * A Date parameter as the driver sends it (local time and its offset): the rows of the batched statements
 * travel as JSON, and a timestamp in them is read from the same text a single-row statement's Date
 * parameter was, so a timestamp column with or without time zone stores the same value.
 */
function driverTimestamp(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const offset = -d.getTimezoneOffset();
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/**
 * The batched statements read their rows with json_populate_recordset(NULL::"Finding", ...), which gives
 * every field the column's own type (text, uuid or integer ids, a tenant id of any of these): the same
 * types the single-row statements' parameters were inferred as, and the id comparisons use the primary key.
 */
const ROWS = `json_populate_recordset(NULL::"Finding", $1::json)`;

/** Opens the finding, or returns the one already open for the same dedupKey. */
export async function openFinding(client: pg.ClientBase, o: Observation, now: number): Promise<{ id: string; created: boolean }> {
  const opened = await openFindings(client, [o], now);
  return opened.get(dedupKey(o.check, o.subject))!;
}

/**
 * Opens the findings of a cycle in one transaction and one INSERT: each (check, subject) gets a new row,
 * or keeps the one already open for its dedupKey (returned with created false). The dedupKeys' advisory
 * locks are taken in one statement, in a fixed order, so two writers never wait on each other in a cycle.
 */
export async function openFindings(
  client: pg.ClientBase,
  observations: Observation[],
  now: number,
): Promise<Map<string, { id: string; created: boolean }>> {
  const result = new Map<string, { id: string; created: boolean }>();
  if (!observations.length) return result;
  const keys = observations.map((o) => dedupKey(o.check, o.subject));
  await client.query('BEGIN');
  try {
    await client.query(
      `SELECT pg_advisory_xact_lock($1::int, hashtext(k)) FROM (SELECT DISTINCT k FROM unnest($2::text[]) AS k ORDER BY k) keys`,
      [DEDUP_LOCK_CLASS, keys],
    );
    // Aperio's ids may be text, uuid or integers: an id of the column's kind, or none for integers,
    // which the column's own default (identity or sequence) numbers.
    const kind = await findingIdKind(client);
    const rows = observations.map((o, i) => ({
      ...(kind === 'N' ? {} : { id: newFindingId(kind) }),
      organizationId: o.tenantId,
      title: o.title,
      description: o.description,
      severity: o.severity,
      status: 'OPEN',
      category: o.check,
      dedupKey: keys[i],
      createdAt: driverTimestamp(o.since ?? now),
      updatedAt: driverTimestamp(now),
    }));
    const { rows: written } = await client.query<{ id: string; dedupKey: string; created: boolean }>(
      `WITH wanted AS (SELECT * FROM ${ROWS}),
       existing AS (
         SELECT DISTINCT ON (f."dedupKey") f.id, f."dedupKey" FROM "Finding" f JOIN wanted w ON f.category = w.category AND f."dedupKey" = w."dedupKey"
         WHERE f.status = 'OPEN'
       ),
       inserted AS (
         INSERT INTO "Finding" (${kind === 'N' ? '' : 'id, '}"organizationId", "ruleId", title, description, severity, status, category, "dedupKey", "createdAt", "updatedAt")
         SELECT ${kind === 'N' ? '' : 'w.id, '}w."organizationId", w."ruleId", w.title, w.description, w.severity, w.status, w.category, w."dedupKey", w."createdAt", w."updatedAt"
         FROM wanted w WHERE NOT EXISTS (SELECT FROM existing e WHERE e."dedupKey" = w."dedupKey")
         RETURNING id, "dedupKey"
       )
       SELECT id, "dedupKey", true AS created FROM inserted UNION ALL SELECT id, "dedupKey", false FROM existing`,
      [JSON.stringify(rows)],
    );
    await client.query('COMMIT');
    for (const row of written) result.set(row.dedupKey, { id: row.id, created: row.created });
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

async function findingIdKind(client: pg.ClientBase): Promise<string | undefined> {
  const { rows } = await client.query<{ type: string }>(
    `SELECT t.typcategory AS type FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
     WHERE a.attrelid = '"Finding"'::regclass AND a.attname = 'id'`,
  );
  return rows[0]?.type; // S: string types, U: uuid (user-defined category), N: numeric
}

function newFindingId(kind: string | undefined): string {
  return kind === 'S' ? `fnd_platform_${randomUUID()}` : randomUUID();
}

/** Refreshes a finding that is still failing; false when it is no longer open (resolved by someone else). */
export async function updateFinding(client: pg.ClientBase, id: string, o: Observation, now: number): Promise<boolean> {
  return (await updateFindings(client, [{ id, observation: o }], now)).has(String(id));
}

/** Refreshes the open findings of a cycle in one UPDATE; returns the ids (as text) of those still open. */
export async function updateFindings(
  client: pg.ClientBase,
  updates: { id: string; observation: Observation }[],
  now: number,
): Promise<Set<string>> {
  if (!updates.length) return new Set();
  const rows = updates.map(({ id, observation: o }) => ({
    id,
    title: o.title,
    description: o.description,
    severity: o.severity,
    category: o.check,
  }));
  const { rows: updated } = await client.query<{ id: string }>(
    `UPDATE "Finding" AS f SET title = u.title, description = u.description, severity = u.severity, "updatedAt" = $2
     FROM ${ROWS} u WHERE f.id = u.id AND f.status = 'OPEN' AND f.category = u.category
     RETURNING f.id`,
    [JSON.stringify(rows), new Date(now)],
  );
  return new Set(updated.map((row) => String(row.id)));
}

export async function resolveFinding(client: pg.ClientBase, id: string, now: number): Promise<boolean> {
  return (await resolveFindings(client, [id], now)).has(String(id));
}

/** Resolves the findings of a cycle in one UPDATE; returns the ids (as text) of those that were still open. */
export async function resolveFindings(client: pg.ClientBase, ids: string[], now: number): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const { rows: resolved } = await client.query<{ id: string }>(
    `UPDATE "Finding" AS f SET status = 'RESOLVED', "resolvedAt" = $2, "updatedAt" = $2
     FROM ${ROWS} u WHERE f.id = u.id AND f.status = 'OPEN' AND f.category = ANY($3::text[])
     RETURNING f.id`,
    [JSON.stringify(ids.map((id) => ({ id }))), new Date(now), CHECKS],
  );
  return new Set(resolved.map((row) => String(row.id)));
}
