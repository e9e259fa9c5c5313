import type { Principal } from '../auth/principal';
import { badRequest, forbidden } from './errors';

export interface TenantInfo {
  id: string;
  slug: string;
  dataRetentionDays: number;
}

/** The tenants a request may see: one tenant, or every tenant (tenantId null) for an unfiltered OPERATOR. */
export interface Scope {
  tenantId: string | null;
  tenant: string | null;
  dataRetentionDays: number | null;
}

/**
 * The token decides the scope. A tenant-bound token that names another tenant in `tenant` is refused
 * with 403 (rather than silently ignored) so that a misconfigured client learns it at once; naming its
 * own tenant is allowed. An OPERATOR may narrow to one tenant; an unknown slug is a 400.
 */
export async function resolveScope(
  principal: Principal,
  tenantParam: string | undefined,
  lookup: (slug: string) => Promise<TenantInfo | null> | TenantInfo | null,
): Promise<Scope> {
  if (principal.role !== 'OPERATOR') {
    if (tenantParam !== undefined && tenantParam !== principal.tenant) {
      throw forbidden(`this token is bound to tenant "${principal.tenant}" and cannot read another tenant`, 'tenant');
    }
    return { tenantId: principal.tenantId, tenant: principal.tenant, dataRetentionDays: principal.dataRetentionDays };
  }
  if (tenantParam === undefined) return { tenantId: null, tenant: null, dataRetentionDays: null };
  const found = await lookup(tenantParam);
  if (!found) throw badRequest('tenant', `no tenant with slug "${tenantParam}"`, 'unknown_tenant');
  return { tenantId: found.id, tenant: found.slug, dataRetentionDays: found.dataRetentionDays };
}
