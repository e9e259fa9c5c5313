import type { Collector } from '../snapshot/collector-types';
import { readStatusHistory } from './history-query';
import { IncrementalStatusHistory } from './history-read';

/** The public page's run history: platform-wide, by provider and for all rules (history-query.ts). */
export const statusCollector: Collector<'statusHistory'> = {
  name: 'status',
  field: 'statusHistory',
  collect: (client, now) => readStatusHistory(client, now, { kind: 'platform' }),
};

/**
 * The same for the serving exporter: the closed days kept between collections (history-read.ts), all
 * read again every `fullIntervalMs` (0: every time). A new instance per exporter: it holds state.
 */
export function incrementalStatusCollector(fullIntervalMs: number): Collector<'statusHistory'> {
  const read = new IncrementalStatusHistory(fullIntervalMs);
  return { ...statusCollector, collect: (client, now) => read.collect(client, now) };
}
