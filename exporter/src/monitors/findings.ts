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

/** Opens the finding, or returns the one already open for the same dedupKey. */
export async function openFinding(client: pg.ClientBase, o: Observation, now: number): Promise<{ id: string; created: boolean }> {
  const key = dedupKey(o.check, o.subject);
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1::int, hashtext($2))', [DEDUP_LOCK_CLASS, key]);
    const existing = await client.query<{ id: string }>(
      `SELECT id FROM "Finding" WHERE category = $1 AND "dedupKey" = $2 AND status = 'OPEN' LIMIT 1`,
      [o.check, key],
    );
    if (existing.rows[0]) {
      await client.query('COMMIT');
      return { id: existing.rows[0].id, created: false };
    }
    // Aperio's ids may be text, uuid or integers: an id of the column's kind, or none for integers,
    // which the column's own default (identity or sequence) numbers.
    const id = await newFindingId(client);
    const inserted = await client.query<{ id: string }>(
      `INSERT INTO "Finding" (${id === null ? '' : 'id, '}"organizationId", "ruleId", title, description, severity, status, category, "dedupKey", "createdAt", "updatedAt")
       VALUES (${id === null ? '' : '$9, '}$1, NULL, $2, $3, $4, 'OPEN', $5, $6, $7, $8) RETURNING id`,
      [o.tenantId, o.title, o.description, o.severity, o.check, key, new Date(o.since ?? now), new Date(now), ...(id === null ? [] : [id])],
    );
    await client.query('COMMIT');
    return { id: inserted.rows[0].id, created: true };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

async function newFindingId(client: pg.ClientBase): Promise<string | null> {
  const { rows } = await client.query<{ type: string }>(
    `SELECT t.typcategory AS type FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
     WHERE a.attrelid = '"Finding"'::regclass AND a.attname = 'id'`,
  );
  const category = rows[0]?.type; // S: string types, U: uuid (user-defined category), N: numeric
  if (category === 'N') return null;
  return category === 'S' ? `fnd_platform_${randomUUID()}` : randomUUID();
}

/** Refreshes a finding that is still failing; false when it is no longer open (resolved by someone else). */
export async function updateFinding(client: pg.ClientBase, id: string, o: Observation, now: number): Promise<boolean> {
  const { rowCount } = await client.query(
    `UPDATE "Finding" SET title = $2, description = $3, severity = $4, "updatedAt" = $5 WHERE id = $1 AND status = 'OPEN' AND category = $6`,
    [id, o.title, o.description, o.severity, new Date(now), o.check],
  );
  return rowCount === 1;
}

export async function resolveFinding(client: pg.ClientBase, id: string, now: number): Promise<boolean> {
  const { rowCount } = await client.query(
    `UPDATE "Finding" SET status = 'RESOLVED', "resolvedAt" = $2, "updatedAt" = $2 WHERE id = $1 AND status = 'OPEN' AND category = ANY($3::text[])`,
    [id, new Date(now), CHECKS],
  );
  return rowCount === 1;
}
