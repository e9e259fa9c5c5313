import type pg from 'pg';
import { earliestChangedDay, readPosition } from '../runs/change-log';
import { mustReadAgain, type KeptRead } from '../runs/incremental';
import type { HistorySource, StatusHistory } from '../snapshot/status-history';
import { readStatusHistory, type ClosedDays, type DayRow } from './history-query';

interface KeptDays extends ClosedDays {
  rows: DayRow[];
}

/**
 * The public page's run history, read by the serving exporter: the closed days (before the rollup
 * watermark's day, the bulk of the 90 days) are kept between collections and read again only when
 * they may have changed; the watermark's day, the raw runs since the watermark and the recent window
 * are read every time, with the same SQL as a full read (history-query.ts). The closed days are read
 * again when:
 * - the oldest day or the watermark's day moved (a new day; the rollup reached the next day);
 * - the change log names a day before the watermark's that a rollup changed since the kept read (runs
 *   written, corrected or removed late; change-log.ts, migration 011);
 * - the kept read may no longer be trusted (incremental.ts `mustReadAgain`: every full interval, the
 *   clock going back, a read older than half the log's retention).
 * The daily rollups have no other writer than the exporter's rollup; one that bypassed it would be
 * seen at the next full interval. test/runs/incremental.test.ts checks it equals a full read after
 * random writes, rollups and retention.
 */
export class IncrementalStatusHistory {
  private kept: (KeptRead & { days: Map<HistorySource, KeptDays> }) | null = null;

  constructor(private readonly fullIntervalMs: number) {}

  /** Collects in the caller's repeatable-read transaction, as a full read does. */
  async collect(client: pg.PoolClient, now: number): Promise<StatusHistory> {
    const position = await readPosition(client);
    const kept = this.kept && !mustReadAgain(this.kept, now, position, this.fullIntervalMs) ? this.kept : null;
    const days = new Map<HistorySource, KeptDays>();
    const history = await readStatusHistory(client, now, { kind: 'platform' }, async (range, read) => {
      const known = kept?.days.get(range.source);
      const reusable = kept && known && (await stillClosed(client, known, range, kept.position));
      const rows = reusable ? known.rows : await read();
      days.set(range.source, { ...range, rows });
      return rows;
    });
    this.kept = { position, readAt: now, fullAt: kept?.fullAt ?? now, days };
    return history;
  }
}

/** Whether the kept closed days are the same days and no rollup has changed one of them since the kept read. */
async function stillClosed(client: pg.PoolClient, known: KeptDays, range: ClosedDays, since: KeptRead['position']): Promise<boolean> {
  if (known.sinceDay !== range.sinceDay || known.watermarkDay !== range.watermarkDay) return false;
  const changed = await earliestChangedDay(client, range.table, since);
  return changed === null || changed >= range.watermarkDay;
}
