import { useCallback, useEffect, useState } from 'react';
import { getJson } from '../api/client';
import { ApiError, toApiError } from '../api/errors';

export type ApiState<T> = {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => void;
};

type Result<T> = { key: string | null; data?: T; error?: ApiError };

/**
 * Loads `url` through the plugin proxy; with `refreshMs` it reloads on that interval. An answer that
 * arrives after the URL changed is dropped, so quick filter changes never show another filter's rows.
 * The last data stays visible while the next request runs, so a refresh does not flash a spinner.
 */
export function useApi<T>(url: string | null, refreshMs = 0): ApiState<T> {
  const [tick, setTick] = useState(0);
  const [result, setResult] = useState<Result<T>>({ key: null });
  const key = url === null ? null : `${tick}:${url}`;

  useEffect(() => {
    if (url === null) {
      return;
    }
    let live = true;
    const done = `${tick}:${url}`;
    getJson<T>(url).then(
      (data) => live && setResult({ key: done, data }),
      (e: unknown) =>
        live &&
        setResult((prev) => ({
          key: done,
          data: prev.data,
          error: e instanceof ApiError ? e : toApiError(0, undefined, String(e)),
        }))
    );
    return () => {
      live = false;
    };
  }, [url, tick]);

  useEffect(() => {
    if (!refreshMs || url === null) {
      return;
    }
    const timer = setInterval(() => setTick((t) => t + 1), refreshMs);
    return () => clearInterval(timer);
  }, [refreshMs, url]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data: result.data, error: result.error, loading: key !== null && result.key !== key, reload };
}
