import React from 'react';
import { PluginPage } from '@grafana/runtime';
import { Alert, LinkButton, Stack } from '@grafana/ui';
import { PanelState } from '../../components/common/PanelState';
import { Empty } from '../../components/common/States';
import { testIds } from '../../components/testIds';
import { DASHBOARDS, dashboardUrl } from '../../constants';
import { useStatusSummary } from '../../data/useStatus';
import { ComponentList } from './ComponentList';
import { Incidents } from './Incidents';
import { INDICATOR_SEVERITY } from './status.utils';

const REFRESH_MS = 60_000;

export const StatusPage = () => {
  const summary = useStatusSummary(REFRESH_MS);
  return (
    <PluginPage>
      <div data-testid={testIds.status.container}>
        <PanelState state={summary} what="the status page">
          {(s) => (
            <Stack direction="column" gap={2}>
              <div data-testid={testIds.status.indicator}>
                <Alert severity={INDICATOR_SEVERITY[s.status.indicator] ?? 'info'} title={s.status.description}>
                  {/* The token decides the view: a tenant token sees its own connections, any other the platform. */}
                  {s.aperio_tenant
                    ? `Components of tenant ${s.aperio_tenant.name} (${s.aperio_tenant.slug}).`
                    : 'Platform-wide components, as on the public status page.'}{' '}
                  Updated {s.page.updated_at}
                </Alert>
              </div>
              <Stack gap={1}>
                <LinkButton variant="secondary" icon="apps" href={dashboardUrl(DASHBOARDS.status)}>
                  Status dashboard
                </LinkButton>
              </Stack>
              {s.components.length === 0 ? (
                <Empty>The exporter reports no components yet.</Empty>
              ) : (
                <ComponentList components={s.components} />
              )}
              <Incidents incidents={s.incidents} title="Open incidents" />
              {s.scheduled_maintenances.length > 0 && (
                <Incidents incidents={s.scheduled_maintenances} title="Maintenance" />
              )}
            </Stack>
          )}
        </PanelState>
      </div>
    </PluginPage>
  );
};
