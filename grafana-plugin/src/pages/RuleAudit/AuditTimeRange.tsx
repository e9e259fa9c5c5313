import React from 'react';
import { dateMath, dateTime, type TimeRange } from '@grafana/data';
import { TimeRangePicker } from '@grafana/ui';
import { testIds } from '../../components/testIds';

type Props = { from: string; to: string; onChange: (from: string, to: string) => void };

function toTimeRange(from: string, to: string): TimeRange {
  return {
    from: dateMath.toDateTime(from, { roundUp: false })!,
    to: dateMath.toDateTime(to, { roundUp: true })!,
    raw: { from, to },
  };
}

const rawText = (value: TimeRange['raw']['from']) => (typeof value === 'string' ? value : value.toISOString());

/** Moves or widens the window by absolute instants, as Grafana's own time picker does. */
function shifted(range: TimeRange, factorFrom: number, factorTo: number) {
  const span = range.to.valueOf() - range.from.valueOf();
  return {
    from: dateTime(range.from.valueOf() + factorFrom * span).toISOString(),
    to: dateTime(range.to.valueOf() + factorTo * span).toISOString(),
  };
}

/** Grafana's time range picker for the audit log's window, kept in the URL as `from` and `to`. */
export const AuditTimeRange = ({ from, to, onChange }: Props) => {
  const range = toTimeRange(from, to);
  const apply = (next: { from: string; to: string }) => onChange(next.from, next.to);
  return (
    <span data-testid={testIds.audit.timeRange}>
      <TimeRangePicker
        value={range}
        timeZone="browser"
        onChange={(next) => onChange(rawText(next.raw.from), rawText(next.raw.to))}
        onChangeTimeZone={() => undefined}
        onMoveBackward={() => apply(shifted(range, -0.5, -0.5))}
        onMoveForward={() => apply(shifted(range, 0.5, 0.5))}
        onZoom={() => apply(shifted(range, -0.5, 0.5))}
      />
    </span>
  );
};
