import React from 'react';
import { useTheme2 } from '@grafana/ui';
import type { UptimeDay } from '../../api/types';
import { testIds } from '../../components/testIds';
import { statusColor } from './status.utils';

const BAR = 4;
const GAP = 1;
const HEIGHT = 24;

const dayTitle = (d: UptimeDay) =>
  d.runs === 0
    ? `${d.date}: no runs`
    : `${d.date}: ${((d.uptime ?? 0) * 100).toFixed(2)} % (${d.failures} of ${d.runs} failed)`;

/** 90 days, oldest left, coloured by the day's status; grey days had no runs to judge. */
export const UptimeBars = ({ days, overall }: { days: UptimeDay[]; overall: number | null | undefined }) => {
  const theme = useTheme2();
  if (days.length === 0) {
    return null;
  }
  return (
    <div data-testid={testIds.status.uptime}>
      <svg width={days.length * (BAR + GAP)} height={HEIGHT} role="img" aria-label="Uptime over 90 days">
        {days.map((d, i) => (
          <rect
            key={d.date}
            x={i * (BAR + GAP)}
            y={0}
            width={BAR}
            height={HEIGHT}
            rx={1}
            fill={statusColor(theme, d.status)}
          >
            <title>{dayTitle(d)}</title>
          </rect>
        ))}
      </svg>
      <div>
        <small>
          {overall === null || overall === undefined
            ? 'No runs in 90 days'
            : `${(overall * 100).toFixed(2)} % uptime over 90 days`}
        </small>
      </div>
    </div>
  );
};
