import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Text, useStyles2, useTheme2 } from '@grafana/ui';
import type { StatusComponentJson } from '../../api/types';
import { testIds } from '../../components/testIds';
import { groupComponents, STATUS_LABEL, statusColor } from './status.utils';
import { UptimeBars } from './UptimeBars';

const ComponentRow = ({ component }: { component: StatusComponentJson }) => {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  return (
    <div className={styles.row} data-testid={testIds.status.component}>
      <div className={styles.head}>
        <Text weight="medium">{component.name}</Text>
        <span style={{ color: statusColor(theme, component.status) }}>
          {STATUS_LABEL[component.status] ?? component.status}
        </span>
      </div>
      {component.aperio_reasons && component.aperio_reasons.length > 0 && (
        <Text color="secondary" variant="bodySmall">
          {component.aperio_reasons.join(' ')}
        </Text>
      )}
      <UptimeBars days={component.aperio_uptime_days ?? []} overall={component.aperio_uptime_90d} />
    </div>
  );
};

export const ComponentList = ({ components }: { components: StatusComponentJson[] }) => {
  const styles = useStyles2(getStyles);
  return (
    <div>
      {groupComponents(components).map(({ group, members }) => (
        <section key={group?.id ?? 'other'} className={styles.group}>
          <Text element="h4">{group ? `${group.name} · ${STATUS_LABEL[group.status] ?? group.status}` : 'Other'}</Text>
          {members.map((c) => (
            <ComponentRow key={c.id} component={c} />
          ))}
        </section>
      ))}
    </div>
  );
};

const getStyles = (theme: GrafanaTheme2) => ({
  group: css({ marginBottom: theme.spacing(3) }),
  row: css({ padding: theme.spacing(1, 0), borderBottom: `1px solid ${theme.colors.border.weak}` }),
  head: css({ display: 'flex', justifyContent: 'space-between' }),
});
