import { urlUtil } from '@grafana/data';

/**
 * Explore with one pane querying the traces data source for a trace id (Tempo, Jaeger and Zipkin all
 * take the id as the query). The `panes` form with `schemaVersion=1` is what Grafana itself writes.
 */
export function exploreTraceUrl(datasourceUid: string, traceId: string): string {
  const pane = {
    datasource: datasourceUid,
    queries: [{ refId: 'A', datasource: { uid: datasourceUid }, queryType: 'traceql', query: traceId }],
    range: { from: 'now-1h', to: 'now' },
  };
  return urlUtil.renderUrl('/explore', { schemaVersion: 1, panes: JSON.stringify({ trace: pane }) });
}
