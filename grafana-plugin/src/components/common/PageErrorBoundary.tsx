import React from 'react';
import { Alert } from '@grafana/ui';

type State = { error: Error | null };

/** A rendering bug in one page must not blank the whole Grafana app. */
export class PageErrorBoundary extends React.Component<{ children: React.ReactNode }, State> {
  state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  render() {
    if (this.state.error) {
      return (
        <Alert severity="error" title="This page failed to render">
          {this.state.error.message}
        </Alert>
      );
    }
    return this.props.children;
  }
}
