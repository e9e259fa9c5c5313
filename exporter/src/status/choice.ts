import type { IncomingMessage } from 'node:http';
import type { Request, Response } from 'express';
import type { PrincipalResolver } from '../auth/resolver';
import type { Chosen } from './answer';
import type { Rendered } from './rendered';

export interface ViewChoice {
  /**
   * The view of a request that needs no token lookup: the public view, when STATUS_PUBLIC and the
   * request presents no token; else null (the server's fast path then leaves the request to Express).
   */
  atHand(req: IncomingMessage): Chosen | null;
  /** Any request's view; null when the resolver has answered the request itself (401, 429). */
  choose(req: Request, res: Response): Promise<Chosen | null>;
}

/**
 * Only `Authorization: Bearer <something>` asks for a token view. Another scheme (a proxy's Basic
 * credentials) or an empty `Bearer` (Grafana's proxy with no token saved) is no token at all.
 */
const presentsToken = (req: IncomingMessage) => /^Bearer\s+\S/i.test(req.headers.authorization ?? '');

/**
 * Who is looking, from the token alone: no token → the public view (never a database query); an
 * OPERATOR token → the platform view; a tenant token → that tenant's view. A bad token is a 401 (the
 * resolver answers it), never the public view; with STATUS_PUBLIC=false so is no token.
 */
export function viewChoice(deps: {
  statusPublic: boolean;
  platformView: () => Rendered;
  tenantView: (tenantId: string, slug: string) => Promise<Rendered>;
  resolvePrincipal: PrincipalResolver;
}): ViewChoice {
  const atHand = (req: IncomingMessage): Chosen | null =>
    deps.statusPublic && !presentsToken(req) ? { rendered: deps.platformView(), private: false } : null;
  return {
    atHand,
    choose: async (req, res) => {
      const chosen = atHand(req);
      if (chosen) return chosen;
      const principal = await deps.resolvePrincipal(req, res);
      if (!principal) return null;
      if (principal.tenantId === null || principal.tenant === null) return { rendered: deps.platformView(), private: true };
      return { rendered: await deps.tenantView(principal.tenantId, principal.tenant), private: true };
    },
  };
}
