import { createHash } from 'node:crypto';
import type { IdGenerator } from '@opentelemetry/sdk-trace-base';

const TRACE_ID = /^[0-9a-f]{32}$/;
const INVALID_TRACE_ID = '0'.repeat(32);

/** A W3C trace id a worker may have stored: 32 lowercase hex digits, not all zero. */
export function validTraceId(value: string | null | undefined): string | null {
  const id = value?.trim().toLowerCase();
  return id && TRACE_ID.test(id) && id !== INVALID_TRACE_ID ? id : null;
}

/** Ids derived from the run, so exporting the same run again (a replay) yields the very same span. */
export function runSpanIds(table: string, runId: number, workerTraceId: string | null): { traceId: string; spanId: string } {
  const digest = createHash('sha256').update(`aperio:${table}:${runId}`).digest('hex');
  return {
    traceId: workerTraceId ?? nonZero(digest.slice(0, 32)),
    spanId: nonZero(digest.slice(32, 48)),
  };
}

// An all-zero id is invalid in OTLP; a SHA-256 slice of zeros is practically impossible, but cheap to exclude.
function nonZero(hex: string): string {
  return /^0+$/.test(hex) ? `${hex.slice(0, -1)}1` : hex;
}

/**
 * The tracer asks its IdGenerator for a root span's ids synchronously inside startSpan, so setting the
 * next ids just before each startSpan gives every run span the ids chosen for it. Only the run tailer
 * uses this tracer, so no other span can take them.
 */
export class RunIdGenerator implements IdGenerator {
  private next: { traceId: string; spanId: string } | null = null;

  use(ids: { traceId: string; spanId: string }): void {
    this.next = ids;
  }

  generateTraceId(): string {
    const id = this.next?.traceId;
    if (!id) throw new Error('RunIdGenerator: no ids set for this span');
    return id;
  }

  generateSpanId(): string {
    const id = this.next?.spanId;
    if (!id) throw new Error('RunIdGenerator: no ids set for this span');
    return id;
  }
}
