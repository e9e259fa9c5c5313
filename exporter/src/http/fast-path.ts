import type { IncomingMessage, ServerResponse } from 'node:http';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Answers a request on Node's own request and response objects, before Express's router and request
 * decoration (most of the CPU time and garbage of a request whose body is cached bytes), and returns
 * true; or returns false having written nothing, and Express answers as if there were no fast path.
 * A fast path must answer exactly as the Express route it stands in front of: it calls the same code.
 */
export type FastPath = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * The request's path as the fast paths match it: the request target up to its query, compared exactly.
 * Whatever Express would also route there (another case, a trailing slash, percent-encoding, an
 * absolute URL) does not match, and goes to Express.
 */
export function pathOf(url: string | undefined): string {
  const target = url ?? '';
  const query = target.indexOf('?');
  return query < 0 ? target : target.slice(0, query);
}

/** The server's request handler: each fast path in turn, then the Express app. */
export function withFastPaths(paths: readonly FastPath[], app: Handler): Handler {
  return (req, res) => {
    for (const path of paths) if (path(req, res)) return;
    app(req, res);
  };
}
