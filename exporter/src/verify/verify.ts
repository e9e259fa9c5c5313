import type pg from 'pg';
import { DOMAIN_FAMILIES } from '../metrics/catalogue';
import type { MetricFamily } from '../metrics/family';
import { collectOn } from '../snapshot/collector';
import { ALL_COLLECTORS } from '../snapshot/collectors';
import type { Snapshot } from '../snapshot/types';
import { compareFamily, type Difference, type FamilyResult } from './compare';
import { ALL_DEFINITIONS } from './definitions';
import { chooseTenants, type TenantSample } from './sample';
import type { Definitions, Recomputed } from './types';

export interface VerifyOptions {
  statementTimeoutMs: number;
  sampleTenants: number;
  timezone: string;
  graceSeconds: number | null;
  /** The configuration part of a snapshot (freshness, status config); its data is replaced. */
  base: Snapshot;
  clock?: () => number;
  families?: MetricFamily[];
  definitions?: Definitions[];
}

export interface VerifyResult {
  /** The snapshot's takenAt, `now` of the time-dependent definitions. */
  takenAt: number;
  durationSeconds: number;
  tenants: TenantSample;
  families: FamilyResult[];
  compared: number;
  differences: Difference[];
}

// Only the collectors whose data the compared families read.
const NEEDED: (keyof Snapshot)[] = ['tenants', 'connectors', 'siemDestinations', 'ingestion', 'rules'];

/**
 * Builds a snapshot with the exporter's own collectors and recomputes its numbers with the plain
 * definitions of src/verify, in ONE read-only repeatable-read transaction under statement_timeout: both
 * sides see the same state, so on a database written meanwhile the answer is still exact.
 */
export async function verify(pool: pg.Pool, options: VerifyOptions): Promise<VerifyResult> {
  const clock = options.clock ?? Date.now;
  const started = performance.now();
  const definitions = options.definitions ?? ALL_DEFINITIONS;
  const client = await pool.connect();
  let broken = false;
  let snapshot: Snapshot;
  let tenants: TenantSample;
  const recomputed: Recomputed[] = [];
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query(`SET LOCAL statement_timeout = ${Math.trunc(options.statementTimeoutMs)}`);
    const now = clock();
    snapshot = await collectOn(
      client,
      now,
      options.base,
      ALL_COLLECTORS.filter((c) => NEEDED.includes(c.field)),
    );
    tenants = await chooseTenants(client, options.sampleTenants);
    const ctx = { client, now, tenantIds: tenants.ids, timezone: options.timezone, graceSeconds: options.graceSeconds };
    for (const domain of definitions) recomputed.push(...(await domain.recompute(ctx)));
    await client.query('COMMIT');
  } catch (err) {
    broken = true; // never hand a connection in an unknown state back to the pool
    throw err;
  } finally {
    client.release(broken);
  }

  const families = options.families ?? DOMAIN_FAMILIES;
  const sampled = tenants.slugs ? new Set(tenants.slugs) : null;
  const results: FamilyResult[] = [];
  for (const spec of definitions.flatMap((d) => d.families)) {
    const family = families.find((f) => f.name === spec.name);
    await family?.prepare?.(snapshot, async () => undefined);
    results.push(compareFamily(spec, family, recomputed, family ? family.samples(snapshot) : [], sampled));
  }
  return {
    takenAt: snapshot.takenAt,
    durationSeconds: (performance.now() - started) / 1000,
    tenants,
    families: results,
    compared: results.reduce((n, r) => n + r.compared, 0),
    differences: results.flatMap((r) => r.differences),
  };
}
