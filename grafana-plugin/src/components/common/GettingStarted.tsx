import React from 'react';
import { Alert, LinkButton, Stack, Text } from '@grafana/ui';
import { getDataSourceSrv } from '@grafana/runtime';
import { CONFIG_URL } from '../../constants';
import { testIds } from '../testIds';

const hasPrometheus = () => {
  try {
    return getDataSourceSrv().getList({ type: 'prometheus' }).length > 0;
  } catch {
    return false;
  }
};

/** Shown instead of a page while the plugin has no exporter URL or token, so nothing fails cryptically. */
export const GettingStarted = () => (
  <div data-testid={testIds.states.notConfigured}>
    <Alert severity="info" title="Connect Grafana to the Aperio exporter">
      <Stack direction="column" gap={1}>
        <Text>
          This app reads the exporter&apos;s API through Grafana&apos;s plugin proxy. An administrator enters the
          exporter URL and an API token (created with <code>aperio-exporter tokens create</code>) on the configuration
          page.
        </Text>
        {!hasPrometheus() && (
          <Text color="secondary">
            The bundled dashboards also need a Prometheus data source that scrapes the exporter&apos;s /metrics; none
            exists yet.
          </Text>
        )}
        <div>
          <LinkButton href={CONFIG_URL} icon="cog">
            Open the configuration
          </LinkButton>
        </div>
      </Stack>
    </Alert>
  </div>
);
