import { epochSeconds, tenantFilter, type Definitions, type Recomputed } from './types';

/**
 * Ingestion jobs by status, per tenant and kind. `attempts` counts starts: a QUEUED job that already
 * started once, or a RUNNING job on its second start or later, is retrying. Finished jobs count for
 * nothing here, so they are not read.
 */
const SQL = `
SELECT o.slug AS tenant, j.kind,
       count(*) FILTER (WHERE j.status = 'QUEUED') AS queued,
       count(*) FILTER (WHERE j.status = 'RUNNING') AS running,
       count(*) FILTER (WHERE (j.status = 'QUEUED' AND j.attempts >= 1) OR (j.status = 'RUNNING' AND j.attempts >= 2)) AS retrying,
       count(*) FILTER (WHERE j.status = 'DEAD') AS dead,
       min(j."createdAt") FILTER (WHERE j.status = 'QUEUED') AS "oldestQueued"
FROM "IngestionJob" j JOIN "Organization" o ON o.id = j."organizationId"
WHERE ${tenantFilter('j."organizationId"')} AND j.status IN ('QUEUED', 'RUNNING', 'DEAD')
GROUP BY o.slug, j.kind`;

interface Row {
  tenant: string;
  kind: string;
  queued: string;
  running: string;
  retrying: string;
  dead: string;
  oldestQueued: Date | null;
}

export const ingestionDefinitions: Definitions = {
  domain: 'ingestion',
  families: [
    { name: 'aperio_ingestion_jobs', compare: 'count' },
    { name: 'aperio_ingestion_jobs_retrying', compare: 'count' },
    { name: 'aperio_ingestion_dead_jobs', compare: 'count' },
    { name: 'aperio_ingestion_oldest_queued_timestamp_seconds', compare: 'timestamp' },
  ],
  async recompute({ client, tenantIds }) {
    const { rows } = await client.query<Row>(SQL, [tenantIds]);
    const out: Recomputed[] = [];
    for (const q of rows) {
      const labels = { tenant: q.tenant, kind: q.kind };
      out.push({
        family: 'aperio_ingestion_jobs',
        series: 'aperio_ingestion_jobs',
        labels: { ...labels, status: 'queued' },
        value: Number(q.queued),
      });
      out.push({
        family: 'aperio_ingestion_jobs',
        series: 'aperio_ingestion_jobs',
        labels: { ...labels, status: 'running' },
        value: Number(q.running),
      });
      out.push({ family: 'aperio_ingestion_jobs_retrying', series: 'aperio_ingestion_jobs_retrying', labels, value: Number(q.retrying) });
      out.push({ family: 'aperio_ingestion_dead_jobs', series: 'aperio_ingestion_dead_jobs', labels, value: Number(q.dead) });
      const oldest = epochSeconds(q.oldestQueued);
      if (oldest !== null) {
        out.push({
          family: 'aperio_ingestion_oldest_queued_timestamp_seconds',
          series: 'aperio_ingestion_oldest_queued_timestamp_seconds',
          labels,
          value: oldest,
        });
      }
    }
    return out;
  },
};
