import React, { useEffect, useState } from 'react';
import type { AppPluginMeta, PluginConfigPageProps } from '@grafana/data';
import { DataSourcePicker } from '@grafana/runtime';
import { Button, Field, FieldSet, Input, SecretInput, Stack } from '@grafana/ui';
import { pageReload } from '../../utils/pageReload';
import { TOKEN_FIELD, type AppSettings } from '../../types';
import { testIds } from '../testIds';
import { useConnectionTest, useSaveSettings } from './AppConfig.hooks';
import { ConnectionResultView } from './ConnectionResultView';

export interface AppConfigProps extends PluginConfigPageProps<AppPluginMeta<AppSettings>> {}

const validUrl = (url: string) => /^https?:\/\/[^\s/]+/.test(url);

export const AppConfig = ({ plugin }: AppConfigProps) => {
  const meta = plugin.meta;
  const [url, setUrl] = useState(meta.jsonData?.url ?? '');
  const [token, setToken] = useState('');
  const [traces, setTraces] = useState(meta.jsonData?.tracesDatasourceUid ?? '');
  const [tokenSaved, setTokenSaved] = useState(Boolean(meta.secureJsonFields?.[TOKEN_FIELD]));
  const { saving, error, save } = useSaveSettings(meta);
  const test = useConnectionTest();
  const configured = Boolean(meta.jsonData?.url && meta.secureJsonFields?.[TOKEN_FIELD]);

  // Saving reloads the page; the reloaded page tests what was saved, so "Save and test" ends with the diagnosis.
  useEffect(() => {
    if (configured) {
      void test.run();
    }
    // Once per page load: later tests are the user's (Test connection).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const urlError = url && !validUrl(url) ? 'An http:// or https:// URL, e.g. http://exporter:9464' : undefined;
  const canSave = validUrl(url) && (tokenSaved || token.length > 0) && !saving;

  const onSave = async (event: React.FormEvent) => {
    event.preventDefault();
    if (!canSave) {
      return;
    }
    // An unchanged saved token is not re-sent: the browser never had it.
    if (await save({ url: url.replace(/\/+$/, ''), tracesDatasourceUid: traces || undefined }, token ? token : null)) {
      pageReload.reload();
    }
  };

  return (
    <form onSubmit={onSave}>
      <FieldSet label="Aperio exporter">
        <Field
          label="Exporter URL"
          description="As reached from the Grafana server, e.g. http://exporter:9464"
          invalid={Boolean(urlError)}
          error={urlError}
        >
          <Input
            width={60}
            id="aperio-url"
            data-testid={testIds.appConfig.url}
            value={url}
            onChange={(e) => setUrl(e.currentTarget.value.trim())}
          />
        </Field>
        <Field
          label="API token"
          description="Created with `aperio-exporter tokens create`; stored encrypted by Grafana and never shown again"
        >
          <SecretInput
            width={60}
            id="aperio-token"
            data-testid={testIds.appConfig.token}
            value={token}
            isConfigured={tokenSaved}
            onChange={(e) => setToken(e.currentTarget.value.trim())}
            onReset={() => {
              setTokenSaved(false);
              setToken('');
            }}
          />
        </Field>
        <Field
          label="Traces data source"
          description="Optional: a Tempo, Jaeger or Zipkin data source that holds the exporter's spans; rule runs' trace ids then open in Explore"
        >
          <div data-testid={testIds.appConfig.traces}>
            <DataSourcePicker
              tracing
              current={traces || null}
              noDefault
              width={60}
              onChange={(ds) => setTraces(ds.uid)}
              onClear={() => setTraces('')}
            />
          </div>
        </Field>
        <Stack gap={1}>
          <Button type="submit" data-testid={testIds.appConfig.save} disabled={!canSave}>
            Save and test
          </Button>
          <Button
            type="button"
            variant="secondary"
            data-testid={testIds.appConfig.test}
            disabled={test.running || !meta.jsonData?.url}
            onClick={test.run}
          >
            Test connection
          </Button>
        </Stack>
        {error && <p role="alert">Saving failed: {error}</p>}
        {test.running && <p>Testing…</p>}
        {test.result && <ConnectionResultView result={test.result} />}
      </FieldSet>
    </form>
  );
};
