import { trace, isSpanContextValid } from '@opentelemetry/api';
import type pg from 'pg';

/**
 * For Node workers: writes a finished rule evaluation or connector sync as a row. The row is the
 * contract; the exporter turns it into metrics and, with OTLP configured, into a span. A worker that
 * records inside its own active span stores that span's trace id, so the run's span joins its trace.
 */
export type RunTrigger = 'SCHEDULE' | 'MANUAL' | 'EVENT';
export type RunStatus = 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'SKIPPED';

type Queryable = Pick<pg.Pool, 'query'>;

interface RunRecord {
  organizationId: string;
  startedAt: Date;
  finishedAt: Date;
  status: RunStatus;
  trigger?: RunTrigger;
  scheduledFor?: Date | null;
  error?: string | null;
  /** W3C trace id (32 hex digits); defaults to the active span's, if any. */
  traceId?: string | null;
}

export interface RuleRunRecord extends RunRecord {
  ruleId: string;
  eventsEvaluated?: number;
  findingsOpened?: number;
}

export interface ConnectorSyncRecord extends RunRecord {
  connectionId: string;
  provider: string;
  recordsIngested?: number;
}

/** Inserts the RuleRun row and returns its id. */
export async function recordRuleRun(db: Queryable, run: RuleRunRecord): Promise<number> {
  const { rows } = await db.query<{ id: string | number }>(
    `INSERT INTO "RuleRun" ("organizationId", "ruleId", trigger, "scheduledFor", "startedAt", "finishedAt", "durationMs",
       status, "eventsEvaluated", "findingsOpened", error, "traceId")
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
    [
      run.organizationId,
      run.ruleId,
      run.trigger ?? 'SCHEDULE',
      run.scheduledFor ?? null,
      run.startedAt,
      run.finishedAt,
      durationMs(run),
      run.status,
      run.eventsEvaluated ?? 0,
      run.findingsOpened ?? 0,
      run.error ?? null,
      traceIdOf(run),
    ],
  );
  return Number(rows[0].id);
}

/** Inserts the ConnectorSyncRun row and returns its id. */
export async function recordConnectorSync(db: Queryable, run: ConnectorSyncRecord): Promise<number> {
  const { rows } = await db.query<{ id: string | number }>(
    `INSERT INTO "ConnectorSyncRun" ("organizationId", "connectionId", provider, trigger, "scheduledFor", "startedAt", "finishedAt",
       "durationMs", status, "recordsIngested", error, "traceId")
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
    [
      run.organizationId,
      run.connectionId,
      run.provider,
      run.trigger ?? 'SCHEDULE',
      run.scheduledFor ?? null,
      run.startedAt,
      run.finishedAt,
      durationMs(run),
      run.status,
      run.recordsIngested ?? 0,
      run.error ?? null,
      traceIdOf(run),
    ],
  );
  return Number(rows[0].id);
}

function durationMs(run: RunRecord): number {
  return Math.max(0, Math.round(run.finishedAt.getTime() - run.startedAt.getTime()));
}

function traceIdOf(run: RunRecord): string | null {
  if (run.traceId !== undefined) return run.traceId;
  const context = trace.getActiveSpan()?.spanContext();
  return context && isSpanContextValid(context) ? context.traceId : null;
}
