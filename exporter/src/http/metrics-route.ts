import type { IncomingMessage, ServerResponse } from 'node:http';
import { CONTENT_TYPES, type Format } from '../metrics/exposition';
import type { RenderedMetrics } from '../metrics/render';
import type { MetricsAccess } from './metrics-auth';

/** OpenMetrics when the scraper asks for it, else the classic text format (also for protobuf-only Accept). */
export function negotiateFormat(accept: string | undefined): Format {
  return accept && /application\/openmetrics-text/i.test(accept) ? 'openmetrics' : 'prometheus';
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

function answer(res: ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer): void {
  res.writeHead(status, headers);
  res.end(body);
}

/**
 * /metrics on Node's own request and response objects: the same handler serves the Express route and
 * the server's fast path (`withMetricsFastPath`), which answers scrapes before Express's router and
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
    if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
      answer(res, 200, { ...headers, 'Content-Encoding': 'gzip', 'Content-Length': String(cached.gzip.length) }, cached.gzip);
    } else {
      answer(res, 200, { ...headers, 'Content-Length': String(cached.body.length) }, cached.body);
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

/** A request handler that answers `GET /metrics` itself and hands every other request to `app`. */
export function withMetricsFastPath(metrics: Handler, app: Handler): Handler {
  return (req, res) => {
    const url = req.url ?? '';
    if (req.method === 'GET' && (url === '/metrics' || url.startsWith('/metrics?'))) metrics(req, res);
    else app(req, res);
  };
}
