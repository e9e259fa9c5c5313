import React from 'react';
import { Badge, type BadgeColor } from '@grafana/ui';
import type { RunStatus } from '../../api/types';

const COLORS: Record<RunStatus, BadgeColor> = {
  SUCCEEDED: 'green',
  FAILED: 'red',
  TIMED_OUT: 'orange',
  SKIPPED: 'blue',
};

export const RunStatusBadge = ({ status }: { status: RunStatus }) => (
  <Badge text={status} color={COLORS[status] ?? 'blue'} />
);
