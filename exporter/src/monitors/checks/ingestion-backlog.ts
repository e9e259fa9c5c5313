import type { IngestionQueueState } from '../../snapshot/types';
import type { MonitorsConfig } from '../config';
import { ageText, type Check } from '../types';

/** The raw condition, also used to suppress schedule misses while ingestion is backing up. */
export function isBacklogged(q: IngestionQueueState, config: MonitorsConfig, now: number): boolean {
  const c = config.ingestion_backlog;
  const oldTooLong = q.oldestQueuedAt !== null && now - q.oldestQueuedAt > c.oldestQueuedSeconds * 1000;
  return oldTooLong || q.queued > c.depth;
}

/** A tenant's ingestion queue (per job kind) whose oldest queued job is too old, or that is too deep. */
export const ingestionBacklog: Check = ({ snapshot, config, now }) => {
  const c = config.ingestion_backlog;
  const observations = snapshot.ingestion
    .filter((q) => isBacklogged(q, config, now))
    .map((q) => {
      const age = q.oldestQueuedAt === null ? null : now - q.oldestQueuedAt;
      return {
        check: 'aperio.platform.ingestion_backlog' as const,
        subject: `queue:${q.tenantId}:${q.kind}`,
        tenantId: q.tenantId,
        severity: c.severity,
        title: `Ingestion queue ${q.kind} of ${q.tenant} is backed up (${q.queued} queued)`,
        description:
          `${q.queued} ${q.kind} jobs queued for tenant ${q.tenant} (limit ${c.depth}), ${q.running} running, ${q.retrying} retrying; ` +
          `the oldest has waited ${age === null ? 'n/a' : ageText(age)} (limit ${ageText(c.oldestQueuedSeconds * 1000)}). ` +
          `Look at the ingestion workers and IngestionJob rows with status QUEUED. ` +
          `While a queue is backed up, aperio.platform.schedule_missed is not raised (see aperio_monitor_suppressed).`,
      };
    });
  return { observations, suppressed: [] };
};
