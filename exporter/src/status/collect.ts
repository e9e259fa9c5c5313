import type { Collector } from '../snapshot/collector-types';
import { readStatusHistory } from './history-query';

/** The public page's run history: platform-wide, by provider and for all rules (history-query.ts). */
export const statusCollector: Collector<'statusHistory'> = {
  name: 'status',
  field: 'statusHistory',
  collect: (client, now) => readStatusHistory(client, now, { kind: 'platform' }),
};
