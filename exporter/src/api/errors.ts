import type { NextFunction, Request, Response } from 'express';

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
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const badRequest = (field: string, message: string, code = 'invalid_parameter') => new ApiError(400, code, message, field);
export const notFound = (message = 'no such record') => new ApiError(404, 'not_found', message);
export const forbidden = (message: string, field?: string) => new ApiError(403, 'forbidden', message, field);

export function sendApiError(res: Response, err: ApiError): void {
  if (err.status === 401) res.set('WWW-Authenticate', `Bearer realm="aperio-api"${err.code === 'invalid_token' ? ', error="invalid_token"' : ''}`);
  res.status(err.status).json(errorBody(err.code, err.message, err.field));
}

/** Answers ApiErrors; anything else goes on to the app's 500 handler, which logs it. */
export function apiErrorHandler(err: unknown, _req: Request, res: Response, next: NextFunction): void {
  if (err instanceof ApiError && !res.headersSent) {
    sendApiError(res, err);
    return;
  }
  next(err);
}
