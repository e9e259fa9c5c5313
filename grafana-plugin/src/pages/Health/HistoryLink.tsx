import React from 'react';
import { LinkButton } from '@grafana/ui';
import { dashboardUrl } from '../../constants';

interface Props {
  /** The uid of the provisioned dashboard that holds this row's history. */
  dashboard: string;
  tenant: string;
}

/** A row's way to its history: the matching provisioned dashboard, filtered to the row's tenant. */
export const HistoryLink = ({ dashboard, tenant }: Props) => (
  <LinkButton size="sm" variant="secondary" fill="text" icon="chart-line" href={dashboardUrl(dashboard, tenant)}>
    History
  </LinkButton>
);
