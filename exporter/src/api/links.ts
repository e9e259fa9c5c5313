import type { Cursor, CursorCodec } from './cursor';

/** A relative link to the same route with the same filters and a cursor: relative so that proxies (Grafana) keep working. */
export function pageLink(codec: CursorCodec, path: string, filters: Record<string, string>, cursor: Cursor, limit: number | null): string {
  const params = new URLSearchParams(filters);
  if (limit !== null) params.set('limit', String(limit));
  params.set('cursor', codec.encode(cursor));
  return `${path}?${params.toString()}`;
}
