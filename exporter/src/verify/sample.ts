import type pg from 'pg';

export interface TenantSample {
  total: number;
  /** null: every tenant is verified. */
  ids: string[] | null;
  slugs: string[] | null;
}

/**
 * Above `limit` tenants, a deterministic sample: ordered by a hash of the id, so the same tenants are
 * verified run after run (a difference stays visible until fixed) and no tenant is favoured by its name.
 */
export async function chooseTenants(client: pg.PoolClient, limit: number): Promise<TenantSample> {
  const { rows } = await client.query<{ id: string; slug: string }>(`SELECT id, slug FROM "Organization" ORDER BY md5(id), id`);
  if (rows.length <= limit) return { total: rows.length, ids: null, slugs: null };
  const chosen = rows.slice(0, limit).sort((a, b) => a.slug.localeCompare(b.slug));
  return { total: rows.length, ids: chosen.map((t) => t.id), slugs: chosen.map((t) => t.slug) };
}
