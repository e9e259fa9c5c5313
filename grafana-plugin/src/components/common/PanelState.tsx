import React from 'react';
import type { ApiState } from '../../data/useApi';
import { ErrorState, Loading } from './States';

type Props<T> = {
  state: ApiState<T>;
  what: string;
  children: (data: T) => React.ReactNode;
};

/** Loading until the first answer, then the data; a failed refresh shows the error over the last data. */
export function PanelState<T>({ state, what, children }: Props<T>) {
  if (state.error) {
    return <ErrorState error={state.error} what={what} onRetry={state.reload} />;
  }
  if (state.data === undefined) {
    return <Loading what={what} />;
  }
  return <>{children(state.data)}</>;
}
