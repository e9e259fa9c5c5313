import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { STATUS_CSS } from './html-style';
import type { Rendered } from './rendered';
import type { ViewRoute } from './view-routes';

/** The view a request gets, and whether it is private to the token that asked for it. */
export interface Chosen {
  rendered: Rendered;
  private: boolean;
}

/** The same URL answers differently with a token, and gzipped or not: any cache must key on both. */
export const STATUS_VARY = 'Authorization, Accept-Encoding';

export type ViewAnswer = (req: IncomingMessage, res: ServerResponse, chosen: Chosen, route: ViewRoute, file: string) => boolean;

/**
 * How a status route answers from the chosen view: the whole header set, the conditional request (304)
 * and the body, gzipped when asked. Returns false, having written nothing, when the view has no such
 * body. On Node's own request and response, so that the Express routes and the server's fast path
 * (status/fast-path.ts) answer with this one function.
 */
export function viewAnswer(frameAncestors: string): ViewAnswer {
  const styleHash = createHash('sha256').update(STATUS_CSS).digest('base64');
  const csp = `default-src 'none'; style-src 'sha256-${styleHash}'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors ${frameAncestors}`;
  return (req, res, chosen, route, file) => {
    const body = route.body(chosen.rendered, file);
    if (!body) return false;
    res.setHeader('Vary', STATUS_VARY);
    res.setHeader('Content-Security-Policy', csp);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // A token's view may be kept by the browser that asked, never by a shared cache or another origin's script.
    res.setHeader('Cache-Control', chosen.private ? 'private, no-cache' : 'no-cache');
    const encoded = body.encodedFor(req.headers['accept-encoding']);
    res.setHeader('ETag', encoded.etag);
    res.setHeader('Last-Modified', new Date(chosen.rendered.takenAt).toUTCString());
    if (route.cors && !chosen.private) res.setHeader('Access-Control-Allow-Origin', '*');
    const match = req.headers['if-none-match'];
    if (match && match.split(',').some((tag) => tag.trim().replace(/^W\//, '') === encoded.etag)) {
      res.statusCode = 304;
      res.end();
      return true;
    }
    res.setHeader('Content-Type', body.type);
    if (encoded.encoding) res.setHeader('Content-Encoding', encoded.encoding);
    res.end(encoded.bytes);
    return true;
  };
}
