import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Tooltip, useStyles2 } from '@grafana/ui';
import type { ConnectorHealth } from '../../api/types';
import { testIds } from '../../components/testIds';
import { formatSeconds } from '../../utils/format';

const LABEL = { fresh: 'Fresh', stale: 'Stale', critical: 'Critical', never: 'Never synced' } as const;

/** The thresholds in the tooltip answer "why is this yellow" without opening the exporter's settings. */
export const FreshnessLight = ({ freshness }: { freshness: ConnectorHealth['freshness'] }) => {
  const styles = useStyles2(getStyles);
  const { warnAfterSeconds, errorAfterSeconds } = freshness.thresholds;
  const tip = `${LABEL[freshness.state]}: stale after ${formatSeconds(warnAfterSeconds)}, critical after ${formatSeconds(errorAfterSeconds)}`;
  return (
    <Tooltip content={tip}>
      <span className={styles.wrap} data-testid={testIds.health.freshness} aria-label={tip}>
        <span className={`${styles.dot} ${styles[freshness.level]}`} />
        {LABEL[freshness.state]}
      </span>
    </Tooltip>
  );
};

const getStyles = (theme: GrafanaTheme2) => ({
  wrap: css({ display: 'inline-flex', alignItems: 'center', gap: theme.spacing(0.75) }),
  dot: css({ width: 10, height: 10, borderRadius: '50%', display: 'inline-block' }),
  green: css({ background: theme.colors.success.main }),
  yellow: css({ background: theme.colors.warning.main }),
  red: css({ background: theme.colors.error.main }),
  gray: css({ background: theme.colors.text.disabled }),
});
