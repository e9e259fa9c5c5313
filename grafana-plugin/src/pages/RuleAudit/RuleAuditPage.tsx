import React, { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { PluginPage } from '@grafana/runtime';
import { Button, LinkButton, Stack, Text } from '@grafana/ui';
import { PanelState } from '../../components/common/PanelState';
import { RefreshControl } from '../../components/common/RefreshControl';
import { Empty } from '../../components/common/States';
import { testIds } from '../../components/testIds';
import { exportUrl, useRuleRuns } from '../../data/useRuleRuns';
import { useWhoami } from '../../data/useWhoami';
import { refreshFromSearch, refreshToSearch } from '../../utils/refresh';
import { AuditFilterBar } from './AuditFilterBar';
import { AuditTimeRange } from './AuditTimeRange';
import { cursorOf, cursorsFromSearch, filtersFromSearch, filtersToSearch, withCursors } from './audit.url';
import { RunDetail } from './RunDetail';
import { RunsTable } from './RunsTable';

export const RuleAuditPage = () => {
  const [search, setSearch] = useSearchParams();
  const filterKey = filtersToSearch(filtersFromSearch(search)).toString();
  const filters = useMemo(() => filtersFromSearch(new URLSearchParams(filterKey)), [filterKey]);
  const cursors = cursorsFromSearch(search);
  const refresh = refreshFromSearch(search, '');
  const runs = useRuleRuns(filters, cursors.length ? cursors[cursors.length - 1] : null, refresh.ms);
  const operator = useWhoami().data?.role === 'OPERATOR';
  const selected = search.get('run');

  const update = useCallback(
    (change: (current: URLSearchParams) => URLSearchParams) =>
      setSearch((current) => change(new URLSearchParams(current))),
    [setSearch]
  );
  const select = useCallback(
    (id: string | null) =>
      update((next) => {
        if (id) {
          next.set('run', id);
        } else {
          next.delete('run');
        }
        return next;
      }),
    [update]
  );
  const applyFilters = (changes: Partial<typeof filters>) =>
    update((current) => filtersToSearch({ ...filters, ...changes }, current));

  return (
    <PluginPage
      actions={
        <>
          <AuditTimeRange from={filters.from} to={filters.to} onChange={(from, to) => applyFilters({ from, to })} />
          <RefreshControl
            interval={refresh.interval}
            loading={runs.loading}
            onRefresh={runs.reload}
            onIntervalChanged={(interval) =>
              update((next) => {
                next.set('refresh', refreshToSearch(interval));
                return next;
              })
            }
          />
        </>
      }
    >
      <div data-testid={testIds.audit.container}>
        <Stack direction="column" gap={2}>
          <AuditFilterBar key={filterKey} filters={filters} showTenant={operator} onApply={(f) => applyFilters(f)} />
          <Stack gap={1}>
            <LinkButton
              variant="secondary"
              icon="download-alt"
              href={exportUrl(filters, 'csv')}
              data-testid={testIds.audit.exportCsv}
            >
              Export CSV
            </LinkButton>
            <LinkButton
              variant="secondary"
              icon="download-alt"
              href={exportUrl(filters, 'ndjson')}
              data-testid={testIds.audit.exportNdjson}
            >
              Export NDJSON
            </LinkButton>
          </Stack>
          <PanelState state={runs} what="rule runs">
            {(answer) => (
              <>
                <Text color="secondary" variant="bodySmall">
                  {answer.window.from} to {answer.window.to}
                  {answer.dataRetentionDays !== null && ` · runs are kept ${answer.dataRetentionDays} days`}
                </Text>
                {answer.data.length === 0 ? (
                  <Empty>No rule run matches these filters in this time range.</Empty>
                ) : (
                  <RunsTable runs={answer.data} showTenant={operator && !filters.tenant} onSelect={select} />
                )}
                <Stack gap={1}>
                  <Button
                    variant="secondary"
                    icon="arrow-left"
                    disabled={cursors.length === 0}
                    data-testid={testIds.audit.previous}
                    onClick={() => update((next) => withCursors(next, cursors.slice(0, -1)))}
                  >
                    Newer
                  </Button>
                  <Button
                    variant="secondary"
                    icon="arrow-right"
                    disabled={!answer.links.next}
                    data-testid={testIds.audit.next}
                    onClick={() => {
                      const cursor = answer.links.next && cursorOf(answer.links.next);
                      if (cursor) {
                        update((next) => withCursors(next, [...cursors, cursor]));
                      }
                    }}
                  >
                    Older
                  </Button>
                </Stack>
              </>
            )}
          </PanelState>
        </Stack>
        {selected && <RunDetail id={selected} onClose={() => select(null)} />}
      </div>
    </PluginPage>
  );
};
