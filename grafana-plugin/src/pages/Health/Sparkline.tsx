import React from 'react';
import { useTheme2 } from '@grafana/ui';
import type { RecentSync } from '../../api/types';
import { testIds } from '../../components/testIds';
import { formatDuration } from '../../utils/format';

const WIDTH = 80;
const HEIGHT = 20;

/** Bars of the last syncs' durations, oldest left; failed syncs are drawn in the error colour. */
export const Sparkline = ({ syncs }: { syncs: RecentSync[] }) => {
  const theme = useTheme2();
  if (syncs.length === 0) {
    return <span>—</span>;
  }
  const ordered = [...syncs].reverse();
  const max = Math.max(1, ...ordered.map((s) => s.durationMs ?? 0));
  const step = WIDTH / 5;
  const summary = ordered.map((s) => `${s.status} ${formatDuration(s.durationMs)}`).join(', ');
  return (
    <svg
      width={WIDTH}
      height={HEIGHT}
      role="img"
      aria-label={`Last syncs: ${summary}`}
      data-testid={testIds.health.sparkline}
    >
      {ordered.map((s, i) => {
        const h = Math.max(2, ((s.durationMs ?? 0) / max) * HEIGHT);
        const failed = s.status !== 'SUCCEEDED';
        return (
          <rect
            key={`${s.startedAt}-${i}`}
            x={i * step + 1}
            y={HEIGHT - h}
            width={step - 3}
            height={h}
            fill={failed ? theme.colors.error.main : theme.colors.success.main}
          >
            <title>{`${s.startedAt ?? ''} ${s.status} ${formatDuration(s.durationMs)}`}</title>
          </rect>
        );
      })}
    </svg>
  );
};
