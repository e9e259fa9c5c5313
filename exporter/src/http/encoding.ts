import zlib from 'node:zlib';

/**
 * Whether the client takes a gzip body (Accept-Encoding: gzip or *, with a q above 0). Every route
 * that serves cached bytes (/metrics, the status views) asks here.
 */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  let gzip: number | null = null;
  let any: number | null = null;
  for (const part of String(header ?? '').split(',')) {
    const [coding, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2)) || 0;
    if (coding === 'gzip' || coding === 'x-gzip') gzip = weight;
    else if (coding === '*') any = weight;
  }
  return (gzip ?? any ?? 0) > 0;
}

/** Gzip of cached bytes, once per body: callers keep the result next to the plain bytes. */
export const gzipBytes = (bytes: Buffer): Buffer => zlib.gzipSync(bytes);
