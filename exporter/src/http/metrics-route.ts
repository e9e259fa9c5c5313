import { timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { CONTENT_TYPES, type Format } from '../metrics/exposition';
import type { RenderedMetrics } from '../metrics/render';

/** OpenMetrics when the scraper asks for it, else the classic text format (also for protobuf-only Accept). */
export function negotiateFormat(accept: string | undefined): Format {
  return accept && /application\/openmetrics-text/i.test(accept) ? 'openmetrics' : 'prometheus';
}

export function bearerMatches(header: string | undefined, expected: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!match) return false;
  const given = Buffer.from(match[1].trim());
  const wanted = Buffer.from(expected);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

export function metricsHandler(getRendered: () => RenderedMetrics | null, token: string | undefined) {
  return (req: Request, res: Response) => {
    if (token && !bearerMatches(req.headers.authorization, token)) {
      res.status(401).set('WWW-Authenticate', 'Bearer realm="metrics"').type('text/plain').send('401 Unauthorized: /metrics needs Authorization: Bearer <METRICS_TOKEN>\n');
      return;
    }
    const rendered = getRendered();
    if (!rendered) {
      res.status(503).type('text/plain').set('Retry-After', '5').send('503 Service Unavailable: the first snapshot is still being collected\n');
      return;
    }
    const format = negotiateFormat(req.headers.accept);
    const cached = rendered.formats[format];
    res.set('Content-Type', CONTENT_TYPES[format]).set('Vary', 'Accept, Accept-Encoding').set('Cache-Control', 'no-store');
    if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
      res.set('Content-Encoding', 'gzip').end(cached.gzip);
    } else {
      res.end(cached.body);
    }
  };
}
