import React from 'react';
import { Alert } from '@grafana/ui';
import { testIds } from '../testIds';
import type { ConnectionResult } from './connection';

export const ConnectionResultView = ({ result }: { result: ConnectionResult }) => (
  <div data-testid={testIds.appConfig.result}>
    {result.ok ? (
      <Alert severity="success" title="Connected to the exporter">
        Token &quot;{result.whoami.name ?? result.whoami.tokenId}&quot; has role <strong>{result.whoami.role}</strong>
        {result.whoami.tenant ? (
          <>
            {' '}
            for tenant <strong>{result.whoami.tenant}</strong>
          </>
        ) : (
          ' for all tenants'
        )}
        .{result.whoami.role === 'SECURITY_ANALYST' && ' This role sees the audit log but not the Health page.'}
      </Alert>
    ) : (
      <Alert severity="error" title={result.title}>
        {result.detail}
      </Alert>
    )}
  </div>
);
