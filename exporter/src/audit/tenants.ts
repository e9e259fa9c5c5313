import type pg from 'pg';
import type { TenantInfo } from '../api/scope';

export async function tenantBySlug(pool: pg.Pool, slug: string): Promise<TenantInfo | null> {
  const { rows } = await pool.query<TenantInfo>(`SELECT id, slug, "dataRetentionDays" FROM "Organization" WHERE slug = $1`, [slug]);
  return rows[0] ?? null;
}

/** Retention of every tenant, for responses that span tenants (each tenant keeps its rows its own number of days). */
export async function retentionByTenant(pool: pg.Pool): Promise<Record<string, number>> {
  const { rows } = await pool.query<{ slug: string; dataRetentionDays: number }>(
    `SELECT slug, "dataRetentionDays" FROM "Organization" ORDER BY slug`,
  );
  return Object.fromEntries(rows.map((r) => [r.slug, r.dataRetentionDays]));
}
