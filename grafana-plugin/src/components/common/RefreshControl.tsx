import React from 'react';
import { RefreshPicker } from '@grafana/ui';
import { testIds } from '../testIds';
import { REFRESH_INTERVALS } from '../../utils/refresh';

type Props = {
  interval: string;
  loading: boolean;
  onRefresh: () => void;
  onIntervalChanged: (interval: string) => void;
};

/** Grafana's refresh button and interval picker, as dashboards have it in their toolbar. */
export const RefreshControl = ({ interval, loading, onRefresh, onIntervalChanged }: Props) => (
  <span data-testid={testIds.refresh}>
    <RefreshPicker
      value={interval}
      intervals={REFRESH_INTERVALS}
      isLoading={loading}
      onRefresh={onRefresh}
      onIntervalChanged={onIntervalChanged}
      tooltip="Reload now"
    />
  </span>
);
