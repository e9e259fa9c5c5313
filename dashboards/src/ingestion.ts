import { stat, steps, table, TENANT, timeseries, type DashboardSpec } from './lib';
import { toHealth } from './grafana-plugin';

export const ingestion: DashboardSpec = {
  uid: 'aperio-ingestion',
  title: 'Aperio ingestion queue',
  description: 'Whether the ingestion queue is backing up: queued and running jobs, the oldest waiting job, retries and dead jobs.',
  revision: 2,
  tags: ['ingestion'],
  variables: 'datasource-and-tenant',
  rows: [
    {
      title: 'Queue',
      panels: [
        stat('Queued', 'Jobs waiting for a worker.', `sum(aperio_ingestion_jobs{status="queued",${TENANT}})`, 'short', steps(50, 500), {
          noValue: '0',
        }),
        stat(
          'Running',
          'Jobs a worker is processing.',
          `sum(aperio_ingestion_jobs{status="running",${TENANT}})`,
          'short',
          steps(100, 1000),
          { noValue: '0' },
        ),
        stat(
          'Oldest queued job',
          'Age of the oldest queued job (0 when nothing is queued).',
          `max(time() - aperio_ingestion_oldest_queued_timestamp_seconds{${TENANT}})`,
          's',
          steps(300, 900),
          { noValue: 'None waiting' },
        ),
        stat('Dead jobs', 'Jobs that exhausted their attempts.', `sum(aperio_ingestion_dead_jobs{${TENANT}})`, 'short', steps(1, 10), {
          noValue: '0',
        }),
        timeseries(
          'Jobs by status',
          'Queued and running jobs over time.',
          [{ expr: `sum by (status) (aperio_ingestion_jobs{${TENANT}})`, legend: '{{status}}' }],
          'short',
        ),
        timeseries(
          'Queued jobs by tenant',
          'Which tenant is backing up.',
          [{ expr: `sum by (tenant) (aperio_ingestion_jobs{status="queued",${TENANT}})`, legend: '{{tenant}}' }],
          'short',
          steps(50, 500),
        ),
        timeseries(
          'Oldest queued job age by tenant',
          "Age of each tenant's oldest queued job; a steady climb means nothing is draining it.",
          [{ expr: `max by (tenant) (time() - aperio_ingestion_oldest_queued_timestamp_seconds{${TENANT}})`, legend: '{{tenant}}' }],
          's',
          steps(300, 900),
        ),
        timeseries(
          'Retrying jobs by kind',
          'Queued or running jobs on their second attempt or later.',
          [{ expr: `sum by (kind) (aperio_ingestion_jobs_retrying{${TENANT}})`, legend: '{{kind}}' }],
          'short',
          steps(1, 20),
        ),
        table(
          'Dead jobs by tenant and kind',
          'Jobs that need an operator, per tenant and job kind.',
          `sum by (tenant, kind) (aperio_ingestion_dead_jobs{${TENANT}})`,
          'short',
          steps(1, 10),
          { span: 24, noValue: 'No dead jobs', links: [toHealth('tenant')] },
        ),
      ],
    },
  ],
};
