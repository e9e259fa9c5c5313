import type pg from 'pg';
import { applyCoreFixture, migrate } from '../../src/db/migrate';
import { createEmptyDatabase } from './database';
import { insertConnector, insertRule, insertTenant } from './fixtures';

/**
 * The small database the incremental-collection tests (test/runs/incremental*.test.ts) copy for each
 * case: three tenants (t2 keeps one day of data), built-in and tenant rules (r0 shares b0's key, r1 is
 * disabled) and six of the eight connections the random steps may add.
 */
export const MINUTE = 60_000;
export const TENANTS = ['t0', 't1', 't2'];
export const CONNECTORS = ['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7'];
export const RULES = ['b0', 'b1', 'r0', 'r1'];
const RULE_ORG: Record<string, string | null> = { b0: null, b1: null, r0: 'org_t0', r1: 'org_t1' };

/** A run to write: minutes from the clock, and its columns. */
export interface RunShape {
  offset: number;
  status: string;
  trigger: string;
  duration: number | null;
  scheduledShift: number | null;
}

/** Creates that database as a template: its name for `createEmptyDatabase({ template })`, and its removal. */
export async function createIncrementalTemplate(): Promise<{ name: string; drop(): Promise<void> }> {
  const template = await createEmptyDatabase();
  await applyCoreFixture(template.pool);
  await migrate(template.pool);
  for (const [i, slug] of TENANTS.entries()) await insertTenant(template.pool, slug, i === 2 ? 1 : 30);
  for (const rule of RULES)
    await insertRule(template.pool, {
      id: rule,
      org: RULE_ORG[rule],
      key: rule === 'r0' ? 'b0' : rule,
      interval: 3600,
      enabled: rule !== 'r1',
    });
  for (const [i, id] of CONNECTORS.slice(0, 6).entries())
    await insertConnector(template.pool, {
      id,
      org: `org_${TENANTS[i % 3]}`,
      provider: i % 2 ? 'okta' : 'crowdstrike',
      lastSyncAt: null,
      interval: 3600,
    });
  const name = new URL(template.url).pathname.slice(1);
  await template.pool.end();
  // The pool is closed already; drop() ends it again harmlessly and removes the database.
  return { name, drop: () => template.drop().catch(() => undefined) };
}

/** Writes one run through the partitioned table, as Aperio's workers do. */
export async function insertRun(
  db: pg.Pool | pg.PoolClient,
  table: 'RuleRun' | 'ConnectorSyncRun',
  keys: Record<string, string>,
  now: number,
  r: RunShape,
) {
  const startedAt = new Date(now + r.offset * MINUTE);
  const scheduledFor = r.scheduledShift === null ? null : new Date(startedAt.getTime() + r.scheduledShift * MINUTE);
  const extra = table === 'ConnectorSyncRun' ? { provider: 'okta', recordsIngested: '7' } : { eventsEvaluated: '11', findingsOpened: '1' };
  const columns = { ...keys, ...extra, trigger: r.trigger, status: r.status };
  const names = Object.keys(columns);
  const values: unknown[] = Object.values(columns);
  await db.query(
    `INSERT INTO "${table}" (${names.map((n) => `"${n}"`).join(', ')}, "startedAt", "scheduledFor", "durationMs")
     VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')}, $${names.length + 1}, $${names.length + 2}, $${names.length + 3})`,
    [...values, startedAt, scheduledFor, r.duration],
  );
}
