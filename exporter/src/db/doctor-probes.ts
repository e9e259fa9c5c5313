import type pg from 'pg';
import type { Settings } from '../config/settings';
import { freshnessPolicy } from '../connectors/freshness';
import { loadOpenFindings, openFinding, resolveFinding, updateFinding } from '../monitors/findings';
import type { Observation } from '../monitors/types';
import { ALL_COLLECTORS } from '../collectors';
import { SnapshotCollector } from '../snapshot/collector';
import { emptySnapshot } from '../snapshot/empty';
import type { Check } from './doctor';

/**
 * What `doctor` runs beyond the schema checks, so that "all checks passed" means the exporter works:
 * one real collection (every collector's SQL, as serve runs it) and one dry monitor cycle (each
 * statement the self-monitoring checks write with, in a transaction that is rolled back).
 */
export async function probeCollection(pool: pg.Pool, settings: Settings): Promise<Check[]> {
  const collector = new SnapshotCollector({
    pool,
    intervalSeconds: settings.COLLECT_INTERVAL_SECONDS,
    statementTimeoutMs: settings.STATEMENT_TIMEOUT_MS,
    initial: emptySnapshot(freshnessPolicy(settings.FRESHNESS_WARN_SECONDS, settings.FRESHNESS_ERROR_SECONDS, settings.FRESHNESS_CONFIG)),
    collectors: ALL_COLLECTORS,
  });
  const snapshot = await collector.refresh();
  return snapshot.collections.map((c) => ({
    name: `collector "${c.collector}"`,
    ok: c.success,
    detail: c.success ? `${(c.durationSeconds * 1000).toFixed(0)} ms` : `its query failed: ${c.error}`,
  }));
}

const PROBE: Observation = {
  check: 'aperio.platform.exporter_stale_data',
  subject: 'aperio-exporter-doctor-probe',
  tenantId: null,
  severity: 'INFO',
  title: 'aperio-exporter doctor probe',
  description: 'Written and rolled back by aperio-exporter doctor; never committed.',
};

export async function probeMonitorWrites(pool: pg.Pool): Promise<Check[]> {
  const client = await pool.connect();
  const checks: Check[] = [];
  try {
    await client.query('BEGIN');
    const dry = savepointClient(client);
    const now = Date.now();
    let id: string | null = null;
    const steps: [string, () => Promise<unknown>][] = [
      ['read open platform findings', () => loadOpenFindings(dry)],
      ['open a finding', async () => (id = (await openFinding(dry, PROBE, now)).id)],
      ['update a finding', () => updateFinding(dry, id ?? '', PROBE, now + 1)],
      ['resolve a finding', () => resolveFinding(dry, id ?? '', now + 2)],
    ];
    for (const [name, run] of steps) {
      await client.query('SAVEPOINT doctor_step');
      try {
        await run();
        await client.query('RELEASE SAVEPOINT doctor_step');
        checks.push({ name: `monitors: ${name}`, ok: true });
      } catch (err) {
        await client.query('ROLLBACK TO SAVEPOINT doctor_step');
        checks.push({ name: `monitors: ${name}`, ok: false, detail: `its statement failed: ${(err as Error).message}` });
      }
    }
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
  return checks;
}

/**
 * The client as the finding writers see it, inside the doctor's transaction: their own BEGIN, COMMIT
 * and ROLLBACK become a savepoint, its release and a rollback to it, so nothing they do is committed.
 */
function savepointClient(client: pg.PoolClient): pg.ClientBase {
  let depth = 0;
  const rewrite = (text: string): string => {
    switch (text.trim().toUpperCase()) {
      case 'BEGIN':
        return `SAVEPOINT doctor_writer_${++depth}`;
      case 'COMMIT':
        return `RELEASE SAVEPOINT doctor_writer_${depth--}`;
      case 'ROLLBACK':
        return `ROLLBACK TO SAVEPOINT doctor_writer_${depth--}`;
      default:
        return text;
    }
  };
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property !== 'query') return Reflect.get(target, property, receiver);
      return (text: unknown, ...rest: unknown[]) =>
        (target.query as (...args: unknown[]) => unknown).call(target, typeof text === 'string' ? rewrite(text) : text, ...rest);
    },
  }) as pg.ClientBase;
}
