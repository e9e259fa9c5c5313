import type { Express, NextFunction, Request, Response } from 'express';
import { isDatabaseUnavailable, RETRY_AFTER_SECONDS } from '../db/unavailable';
import { logger } from '../log';

/** The JSON body of every 4xx and 5xx answer: `{error: {code, message, field}}`, field null unless one parameter is at fault. */
export interface ErrorBody {
  error: { code: string; message: string; field: string | null };
}

export const errorBody = (code: string, message: string, field?: string | null): ErrorBody => ({
  error: { code, message, field: field ?? null },
});

/**
 * An expected API failure with the JSON body clients rely on (errorBody), the same shape as the
 * exporter's 404 and 500 answers, with the offending parameter named for 400s.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    /** Seconds, for 429 and 503 answers. */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const badRequest = (field: string, message: string, code = 'invalid_parameter') => new ApiError(400, code, message, field);
export const notFound = (message = 'no such record') => new ApiError(404, 'not_found', message);
export const forbidden = (message: string, field?: string) => new ApiError(403, 'forbidden', message, field);

export function sendApiError(res: Response, err: ApiError): void {
  if (err.status === 401)
    res.set('WWW-Authenticate', `Bearer realm="aperio-api"${err.code === 'invalid_token' ? ', error="invalid_token"' : ''}`);
  if (err.retryAfter !== undefined) res.set('Retry-After', String(Math.max(1, Math.ceil(err.retryAfter))));
  res.status(err.status).json(errorBody(err.code, err.message, err.field));
}

/**
 * Where a path holds a parameter, by path prefix, so that a value Express cannot decode is answered
 * with the parameter's name (routes register theirs with namePathParameter).
 */
const PATH_PARAMETERS = 'pathParameters';

export function namePathParameter(app: Express, prefix: string, name: string): void {
  const list = ((app.locals[PATH_PARAMETERS] as [string, string][] | undefined) ??= []);
  list.push([prefix, name]);
}

const STATUS_CODES: Record<number, string> = {
  400: 'invalid_request',
  413: 'body_not_allowed',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  431: 'headers_too_large',
};

/**
 * Any error a request can end in, as the answer to give. ApiErrors are answered as they are; the 4xx
 * errors Express and its router raise themselves (http-errors style `status` with `expose`, or a path
 * parameter that is not valid percent-encoding) keep their status with a JSON body; a database that
 * cannot serve the query now (down, or no connection free in time) is a 503 with Retry-After; everything
 * else is a 500 whose detail goes to the log only.
 */
export function answerFor(err: unknown, req: Request): ApiError {
  if (err instanceof ApiError) return err;
  const status = httpStatusOf(err);
  if (err instanceof URIError && status === 400) {
    const prefixes = (req.app.locals[PATH_PARAMETERS] as [string, string][] | undefined) ?? [];
    const path = req.baseUrl + req.path;
    const field = prefixes.find(([prefix]) => path.startsWith(prefix))?.[1] ?? 'path';
    return badRequest(field, `${field} is not valid percent-encoded UTF-8`);
  }
  if (isDatabaseUnavailable(err)) {
    return new ApiError(
      503,
      'database_unavailable',
      'the database is unreachable or busy; retry after the time in Retry-After',
      undefined,
      RETRY_AFTER_SECONDS,
    );
  }
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new ApiError(
      status,
      STATUS_CODES[status] ?? 'invalid_request',
      (err as { expose?: boolean }).expose ? (err as Error).message : 'the request cannot be read',
    );
  }
  return new ApiError(500, 'internal', 'internal error; see the exporter log');
}

/** The status an http-errors style error (Express, its router, body parsers) carries, if any. */
function httpStatusOf(err: unknown): unknown {
  const e = err as { status?: unknown; statusCode?: unknown } | null;
  return e?.status ?? e?.statusCode;
}

/** The one error path of every route: the JSON error answer, logged with its stack when it is the exporter's fault. */
export function errorHandler(err: unknown, req: Request, res: Response, _next: NextFunction): void {
  const answer = answerFor(err, req);
  if (answer.status === 503) logger.warn({ err: (err as Error).message, path: req.path }, 'request answered 503: database unavailable');
  else if (answer.status >= 500) logger.error({ err, path: req.path }, 'request failed');
  if (res.headersSent) {
    // Half an answer must not look like a whole one: cut the connection.
    res.destroy();
    return;
  }
  sendApiError(res, answer);
}
