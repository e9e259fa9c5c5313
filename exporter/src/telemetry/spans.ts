import { ROOT_CONTEXT, SpanKind, SpanStatusCode, type Attributes, type HrTime } from '@opentelemetry/api';
import { FAILURE_STATUSES } from '../runs/statuses';
import { runSpanIds, validTraceId } from './ids';
import type { RunRow, RunTable } from './source';
import type { RunTracing } from './tracing';

const FAILED = new Set<string>(FAILURE_STATUSES);

/** Emits one finished span for a run, with the run's own start and end as the span's times. */
export function emitRunSpan(tracing: RunTracing, table: RunTable, row: RunRow): void {
  tracing.ids.use(runSpanIds(table, row.id, validTraceId(row.traceId)));
  const span = tracing.tracer.startSpan(
    spanName(table, row),
    { root: true, kind: SpanKind.INTERNAL, startTime: hrTime(row.startedUs), attributes: runAttributes(table, row) },
    ROOT_CONTEXT,
  );
  if (FAILED.has(row.status)) span.setStatus({ code: SpanStatusCode.ERROR, message: row.error ?? row.status });
  else if (row.status === 'SUCCEEDED') span.setStatus({ code: SpanStatusCode.OK });
  // A row without finishedAt still carries its duration; without either the span has no length.
  const endUs = row.finishedUs ?? row.startedUs + (row.durationMs ?? 0) * 1000;
  span.end(hrTime(endUs));
}

export function spanName(table: RunTable, row: RunRow): string {
  return table === 'RuleRun'
    ? `rule.evaluate ${row.label ?? row.subjectId}`
    : `connector.sync ${row.provider ?? row.label ?? row.subjectId}`;
}

export function runAttributes(table: RunTable, row: RunRow): Attributes {
  const attributes: Attributes = {
    'aperio.tenant.id': row.organizationId,
    'aperio.run.id': row.id,
    'aperio.run.trigger': row.trigger,
    'aperio.run.status': row.status,
  };
  if (table === 'RuleRun') {
    attributes['aperio.rule.id'] = row.subjectId;
    if (row.label !== null) attributes['aperio.rule.key'] = row.label;
    attributes['aperio.run.events_evaluated'] = Number(row.eventsEvaluated ?? 0);
    attributes['aperio.run.findings_opened'] = Number(row.findingsOpened ?? 0);
  } else {
    attributes['aperio.connector.id'] = row.subjectId;
    attributes['aperio.provider'] = row.provider ?? '';
    attributes['aperio.run.records_ingested'] = Number(row.recordsIngested ?? 0);
  }
  if (row.scheduledFor !== null) attributes['aperio.run.scheduled_for'] = row.scheduledFor.toISOString();
  if (row.durationMs !== null) attributes['aperio.run.duration_ms'] = row.durationMs;
  if (row.error) attributes['aperio.run.error'] = row.error;
  return attributes;
}

function hrTime(micros: number): HrTime {
  const seconds = Math.floor(micros / 1_000_000);
  return [seconds, (micros - seconds * 1_000_000) * 1000];
}
