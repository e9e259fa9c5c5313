import type { Response } from 'express';
import type { Role } from './roles';

/** Who is calling: resolved from the bearer token alone, never from request parameters. */
export interface Principal {
  tokenId: string;
  name: string;
  role: Role;
  /** null for OPERATOR (all tenants). */
  tenantId: string | null;
  tenant: string | null;
  dataRetentionDays: number | null;
}

export function principalOf(res: Response): Principal {
  const principal = res.locals.principal as Principal | undefined;
  // Routes are only reachable behind the bearer middleware; reaching here without it is a wiring bug.
  if (!principal) throw new Error('route mounted without the bearer middleware');
  return principal;
}
