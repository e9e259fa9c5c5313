import type { GrafanaTheme2 } from '@grafana/data';
import type { ComponentStatus, Indicator, StatusComponentJson } from '../../api/types';

export function statusColor(theme: GrafanaTheme2, status: ComponentStatus | null): string {
  switch (status) {
    case 'operational':
      return theme.colors.success.main;
    case 'degraded_performance':
      return theme.colors.warning.main;
    case 'partial_outage':
      return theme.visualization.getColorByName('orange');
    case 'major_outage':
      return theme.colors.error.main;
    case 'under_maintenance':
      return theme.colors.info.main;
    default:
      return theme.colors.text.disabled;
  }
}

export const INDICATOR_SEVERITY: Record<Indicator, 'success' | 'warning' | 'error' | 'info'> = {
  none: 'success',
  minor: 'warning',
  major: 'error',
  critical: 'error',
  maintenance: 'info',
};

/** Groups in page order, each with its components: the same layout as the public /status page. */
export function groupComponents(components: StatusComponentJson[]) {
  const sorted = [...components].sort((a, b) => a.position - b.position);
  const groups = sorted.filter((c) => c.group);
  const orphans = sorted.filter((c) => !c.group && c.group_id === null);
  return [
    ...groups.map((g) => ({ group: g, members: sorted.filter((c) => c.group_id === g.id) })),
    ...(orphans.length ? [{ group: null, members: orphans }] : []),
  ];
}
