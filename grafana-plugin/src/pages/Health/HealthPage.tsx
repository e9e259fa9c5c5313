import React from 'react';
import { useSearchParams } from 'react-router-dom';
import { PluginPage } from '@grafana/runtime';
import { Button, Stack, Text } from '@grafana/ui';
import { PanelState } from '../../components/common/PanelState';
import { RefreshControl } from '../../components/common/RefreshControl';
import { refreshToSearch } from '../../utils/refresh';
import { testIds } from '../../components/testIds';
import { useConnectorsHealth, useIngestionHealth, useSiemHealth } from '../../data/useHealth';
import { ConnectorsPanel } from './ConnectorsPanel';
import { filterConnectors, sortConnectors, uniqueSorted } from './health.utils';
import { healthViewFromSearch, updateSearch } from './health.url';
import { HealthFilters } from './HealthFilters';
import { IngestionPanel } from './IngestionPanel';
import { SiemPanel } from './SiemPanel';
import { SnapshotAge } from './SnapshotAge';

export const HealthPage = () => {
  const [search, setSearch] = useSearchParams();
  const { filters, sort, refresh } = healthViewFromSearch(search);
  const connectors = useConnectorsHealth(refresh.ms);
  const siem = useSiemHealth(refresh.ms);
  const ingestion = useIngestionHealth(refresh.ms);
  // Filters replace the history entry (typing is not navigation); the refresh interval does too.
  const change = (changes: Record<string, string | undefined>) =>
    setSearch(updateSearch(search, changes), { replace: true });

  const all = connectors.data?.data ?? [];
  const tenants = uniqueSorted([...all.map((c) => c.tenant), ...(siem.data?.data ?? []).map((d) => d.tenant)]);
  const providers = uniqueSorted(all.map((c) => c.provider));

  return (
    <PluginPage
      actions={
        <RefreshControl
          interval={refresh.interval}
          loading={connectors.loading || siem.loading || ingestion.loading}
          onRefresh={() => [connectors, siem, ingestion].forEach((state) => state.reload())}
          onIntervalChanged={(interval) => change({ refresh: refreshToSearch(interval) })}
        />
      }
    >
      <div data-testid={testIds.health.container}>
        <Stack direction="column" gap={3}>
          <HealthFilters filters={filters} sort={sort} tenants={tenants} providers={providers} onChange={change} />
          <section>
            <Text element="h3">Connectors</Text>
            {filters.connector && (
              <div data-testid={testIds.health.connectorFilter}>
                <Text color="secondary" variant="bodySmall">
                  Only connector {filters.connector}
                </Text>{' '}
                <Button size="sm" fill="text" onClick={() => change({ connector: undefined })}>
                  Show all
                </Button>
              </div>
            )}
            <SnapshotAge meta={connectors.data} />
            <PanelState state={connectors} what="connector health">
              {(answer) => (
                <ConnectorsPanel
                  rows={sortConnectors(filterConnectors(answer.data, filters), sort)}
                  total={answer.data.length}
                />
              )}
            </PanelState>
          </section>
          <section>
            <Text element="h3">SIEM destinations</Text>
            <PanelState state={siem} what="SIEM destinations">
              {(answer) => (
                <SiemPanel rows={answer.data.filter((d) => !filters.tenant || d.tenant === filters.tenant)} />
              )}
            </PanelState>
          </section>
          <section>
            <Text element="h3">Ingestion queue</Text>
            <PanelState state={ingestion} what="the ingestion queue">
              {(answer) => <IngestionPanel answer={answer} tenant={filters.tenant} />}
            </PanelState>
          </section>
        </Stack>
      </div>
    </PluginPage>
  );
};
