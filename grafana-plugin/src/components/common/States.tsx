import React from 'react';
import { Alert, Button, LoadingPlaceholder } from '@grafana/ui';
import { explainError, type ApiError } from '../../api/errors';
import { testIds } from '../testIds';

export const Loading = ({ what }: { what: string }) => (
  <div data-testid={testIds.states.loading}>
    <LoadingPlaceholder text={`Loading ${what}…`} />
  </div>
);

export const Empty = ({ children }: { children: React.ReactNode }) => (
  <div data-testid={testIds.states.empty}>
    <Alert severity="info" title="Nothing to show">
      {children}
    </Alert>
  </div>
);

/** Every panel explains a failure in place: what went wrong, what the exporter said, and a retry. */
export const ErrorState = ({ error, what, onRetry }: { error: ApiError; what: string; onRetry?: () => void }) => (
  <div data-testid={testIds.states.error}>
    <Alert severity="error" title={`Could not load ${what}`}>
      <p>{explainError(error)}</p>
      <p>
        <small>
          HTTP {error.status || 'no answer'}
          {error.code ? ` · ${error.code}` : ''} · {error.message}
        </small>
      </p>
      {onRetry && (
        <Button size="sm" variant="secondary" onClick={onRetry}>
          Retry
        </Button>
      )}
    </Alert>
  </div>
);
