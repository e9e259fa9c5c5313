import { stat, steps, TENANT, type PanelSpec } from './lib';

/**
 * The SIEM headline figures that the overview and the SIEM dashboard both show: one query and one set
 * of thresholds each, so the two boards cannot drift apart (a dead letter turns both orange at once).
 */
export const siemFailureRatio1h = (title: string, description: string): PanelSpec =>
  stat(
    title,
    description,
    `(sum(increase(aperio_siem_delivery_failures_total{${TENANT}}[1h])) or vector(0)) / clamp_min(sum(increase(aperio_siem_deliveries_total{${TENANT}}[1h])), 1)`,
    'percentunit',
    steps(0.05, 0.2),
    { min: 0, max: 1 },
  );

export const siemDeadLetters = (): PanelSpec =>
  stat(
    'Dead letters',
    'Deliveries that gave up and wait for an operator.',
    `sum(aperio_siem_dead_letters{${TENANT}})`,
    'short',
    steps(1, 100),
    {
      noValue: '0',
    },
  );

export const siemRetrying = (title: string): PanelSpec =>
  stat(
    title,
    'Deliveries waiting for another attempt after a failure.',
    `sum(aperio_siem_queue_depth{status="retrying",${TENANT}})`,
    'short',
    steps(1, 100),
    { noValue: '0' },
  );
