import type pg from 'pg';
import { parseMonitorsConfig } from '../../src/monitors/config';
import { MonitorEngine } from '../../src/monitors/engine';
import type { Snapshot } from '../../src/snapshot/types';
import { NOW } from './clock';
import type { Value } from './compare';
import type { DueSlot } from './expected-schedules';

/**
 * The schedule_missed self-monitoring finding (docs/monitors.md): one open Finding in the
 * aperio.platform.schedule_missed category for exactly the jobs whose latest due slot was missed, dated
 * at that slot (createdAt). The static database has a backlogged ingestion queue on purpose (the status
 * page's Ingestion queue is judged on it), so suppression during a backlog is switched off here.
 */
const CATEGORY = 'aperio.platform.schedule_missed';
const MONITORS_YAML = `
checks:
  schedule_missed: { for: 0s, recovery: 1m, timezone: UTC, suppress_during_backlog: off }
`;

/** One evaluation of the checks over the exporter's snapshot at the fixed clock; findings are written to the database. */
export async function evaluateMonitorsOnce(pool: pg.Pool, snapshot: () => Snapshot): Promise<void> {
  const engine = new MonitorEngine({
    pool,
    getSnapshot: snapshot,
    config: parseMonitorsConfig(MONITORS_YAML, 'differential'),
    intervalSeconds: 15,
    clock: () => NOW,
  });
  try {
    await engine.cycle();
  } finally {
    await engine.stop();
  }
}

/** Open findings counted by tenant and date: a job's identity is not part of the definition, its tenant and slot are. */
const key = (org: string | null, createdAtMs: number) => `finding{${CATEGORY},${org},${new Date(createdAtMs).toISOString()}}`;

export function expectedFindings(due: DueSlot[]): Map<string, Value> {
  const out = new Map<string, Value>();
  for (const job of due.filter((j) => j.missed)) out.set(key(job.org, job.dueAt), Number(out.get(key(job.org, job.dueAt)) ?? 0) + 1);
  return out;
}

export async function actualFindings(pool: pg.Pool): Promise<Map<string, Value>> {
  const { rows } = await pool.query(
    `SELECT "organizationId", extract(epoch FROM "createdAt") * 1000 AS "createdAtMs", count(*) AS n
       FROM "Finding" WHERE category = $1 AND status = 'OPEN' GROUP BY 1, 2`,
    [CATEGORY],
  );
  return new Map(rows.map((r) => [key(r.organizationId, Number(r.createdAtMs)), Number(r.n)]));
}
