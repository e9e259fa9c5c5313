import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ApiError, sendApiError } from '../api/errors';
import { principalOf } from './principal';
import type { PrincipalResolver } from './resolver';
import type { Role } from './tokens';

/** Puts the request's Principal in res.locals for the routes behind it; the resolver answers failures. */
export function bearerAuth(resolvePrincipal: PrincipalResolver): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const principal = await resolvePrincipal(req, res);
    if (!principal) return;
    res.locals.principal = principal;
    next();
  };
}

export function requireRole(...roles: Role[]): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction) => {
    const principal = principalOf(res);
    if (!roles.includes(principal.role)) {
      sendApiError(
        res,
        new ApiError(403, 'forbidden', `this route needs one of the roles ${roles.join(', ')}; the token has ${principal.role}`),
      );
      return;
    }
    next();
  };
}
