import type { IncomingMessage, ServerResponse } from 'node:http';
import { CONTENT_TYPES, type Format } from '../metrics/exposition';
import type { RenderedMetrics } from '../metrics/render';
import { acceptsGzip } from './encoding';
import { pathOf, type FastPath, type Handler } from './fast-path';
import type { MetricsAccess } from './metrics-auth';

/** OpenMetrics when the scraper asks for it, else the classic text format (also for protobuf-only Accept). */
export function negotiateFormat(accept: string | undefined): Format {
  return accept && /application\/openmetrics-text/i.test(accept) ? 'openmetrics' : 'prometheus';
}

function answer(res: ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer): void {
  res.writeHead(status, headers);
  res.end(body);
}

/**
 * /metrics on Node's own request and response objects: the same handler serves the Express route and
 * the server's fast path (`metricsFastPath`), which answers scrapes before Express's router and
 * request decoration, the larger part of a scrape's CPU time and garbage when the body is cached bytes.
 */
export function metricsHandler(getRendered: () => RenderedMetrics | null, access: Pick<MetricsAccess, 'authorize' | 'challenge'>): Handler {
  const refuse = (res: ServerResponse) =>
    answer(
      res,
      401,
      { 'Content-Type': 'text/plain; charset=utf-8', 'WWW-Authenticate': access.challenge },
      '401 Unauthorized: /metrics needs the credentials of METRICS_TOKEN or METRICS_WEB_CONFIG\n',
    );
  const serve = (req: IncomingMessage, res: ServerResponse) => {
    const rendered = getRendered();
    if (!rendered) {
      answer(
        res,
        503,
        { 'Content-Type': 'text/plain; charset=utf-8', 'Retry-After': '5' },
        '503 Service Unavailable: the first snapshot is still being collected\n',
      );
      return;
    }
    const format = negotiateFormat(req.headers.accept);
    const cached = rendered.formats[format];
    const headers: Record<string, string> = {
      'Content-Type': CONTENT_TYPES[format],
      Vary: 'Accept, Accept-Encoding',
      'Cache-Control': 'no-store',
    };
    if (acceptsGzip(req.headers['accept-encoding'])) {
      answer(res, 200, { ...headers, 'Content-Encoding': 'gzip', 'Content-Length': String(cached.gzip.length) }, cached.gzip);
    } else if (cached.parts.length === 1) {
      answer(res, 200, { ...headers, 'Content-Length': String(cached.length) }, cached.parts[0]);
    } else {
      // OpenMetrics in parts (metrics/render.ts): corked, they leave in one writev.
      res.writeHead(200, { ...headers, 'Content-Length': String(cached.length) });
      res.cork();
      for (const part of cached.parts) res.write(part);
      res.end();
    }
  };
  return (req, res) => {
    const verdict = access.authorize ? access.authorize(req.headers.authorization) : true;
    if (verdict === true) serve(req, res);
    else if (verdict === false) refuse(res);
    else
      void verdict.then(
        (ok) => (ok ? serve(req, res) : refuse(res)),
        () => refuse(res),
      );
  };
}

/** `GET /metrics` answered by `metrics` before Express; anything else is left to Express. */
export function metricsFastPath(metrics: Handler): FastPath {
  return (req, res) => {
    if (req.method !== 'GET' || pathOf(req.url) !== '/metrics') return false;
    metrics(req, res);
    return true;
  };
}
