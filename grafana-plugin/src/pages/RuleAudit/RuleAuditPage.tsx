import React, { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { PluginPage } from '@grafana/runtime';
import { Button, LinkButton, Stack, Text } from '@grafana/ui';
import { PanelState } from '../../components/common/PanelState';
import { Empty } from '../../components/common/States';
import { testIds } from '../../components/testIds';
import { exportUrl, useRuleRuns } from '../../data/useRuleRuns';
import { AuditFilterBar } from './AuditFilterBar';
import { filtersFromSearch, filtersToSearch } from './audit.url';
import { RunDetail } from './RunDetail';
import { RunsTable } from './RunsTable';

export const RuleAuditPage = () => {
  const [search, setSearch] = useSearchParams();
  const filterKey = filtersToSearch(filtersFromSearch(search)).toString();
  const filters = useMemo(() => filtersFromSearch(new URLSearchParams(filterKey)), [filterKey]);
  // Cursor links of the pages before the current one; a new filter starts again at page one.
  const [pages, setPages] = useState<{ key: string; links: string[] }>({ key: filterKey, links: [] });
  const links = pages.key === filterKey ? pages.links : [];
  const cursor = links.length > 0 ? links[links.length - 1] : null;
  const runs = useRuleRuns(filters, cursor);
  const selected = search.get('run');

  const select = (id: string | null) => {
    const next = new URLSearchParams(search);
    if (id) {
      next.set('run', id);
    } else {
      next.delete('run');
    }
    setSearch(next);
  };

  return (
    <PluginPage>
      <div data-testid={testIds.audit.container}>
        <Stack direction="column" gap={2}>
          <AuditFilterBar key={filterKey} filters={filters} onApply={(f) => setSearch(filtersToSearch(f))} />
          <Stack gap={1}>
            <LinkButton variant="secondary" icon="download-alt" href={exportUrl(filters, 'csv')} data-testid={testIds.audit.exportCsv}>
              Export CSV
            </LinkButton>
            <LinkButton variant="secondary" icon="download-alt" href={exportUrl(filters, 'ndjson')} data-testid={testIds.audit.exportNdjson}>
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
                  <RunsTable runs={answer.data} onSelect={select} />
                )}
                <Stack gap={1}>
                  <Button
                    variant="secondary"
                    icon="arrow-left"
                    disabled={links.length === 0}
                    data-testid={testIds.audit.previous}
                    onClick={() => setPages({ key: filterKey, links: links.slice(0, -1) })}
                  >
                    Newer
                  </Button>
                  <Button
                    variant="secondary"
                    icon="arrow-right"
                    disabled={!answer.links.next}
                    data-testid={testIds.audit.next}
                    onClick={() => answer.links.next && setPages({ key: filterKey, links: [...links, answer.links.next] })}
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
