import { createHash } from 'node:crypto';

/**
 * Sharding of the per-tenant series (docs/sharding.md), as kube-state-metrics shards objects: each of
 * TOTAL_SHARDS replicas exposes the tenants whose hash falls in its shard, and shard 0 alone the
 * platform-wide families, so the shards' series together are one unsharded exporter's, none twice.
 */
export interface Shard {
  /** 0 to total - 1. */
  index: number;
  total: number;
}

export const UNSHARDED: Shard = { index: 0, total: 1 };

/**
 * The hash a tenant's shard comes from: the first 4 bytes of the MD5 digest of the UTF-8 tenant label
 * value (the slug, as /metrics shows it), as a big-endian unsigned 32-bit integer. MD5 is fixed by RFC
 * 1321, so the hash is the same on every Node version and anywhere else; PostgreSQL computes it as
 * `('x' || lpad(left(md5(slug), 8), 16, '0'))::bit(64)::bigint`. (FNV-1a, cheaper, is not used: modulo
 * a power of two it keeps only the low bits of each byte, so slugs differing in a high bit share a shard.)
 */
export function tenantHash(tenant: string): number {
  return createHash('md5').update(tenant, 'utf8').digest().readUInt32BE(0);
}

/** The shard a tenant's series belong to: tenantHash(tenant) mod total. */
export const shardOfTenant = (tenant: string, total: number): number => tenantHash(tenant) % total;

/** A membership test for one shard that hashes each distinct tenant once per rendering. */
export function tenantFilter(shard: Shard): (tenant: string) => boolean {
  if (shard.total === 1) return () => true;
  const known = new Map<string, boolean>();
  return (tenant) => {
    let mine = known.get(tenant);
    if (mine === undefined) known.set(tenant, (mine = shardOfTenant(tenant, shard.total) === shard.index));
    return mine;
  };
}

/**
 * `tenantHash(slug) mod total = index` in SQL, for a collector that reads one shard's tenants
 * (SHARD_COLLECTION=own): PostgreSQL's md5() of the slug's UTF-8 bytes, its first 8 hex digits as an
 * unsigned 32-bit integer (through bigint: no sign). The shard's numbers are validated integers.
 */
export function inShardSql(slugColumn: string, shard: Shard): string {
  const hash = `('x' || lpad(left(md5(${slugColumn}), 8), 16, '0'))::bit(64)::bigint`;
  return `${hash} % ${Math.trunc(shard.total)} = ${Math.trunc(shard.index)}`;
}

/**
 * A replica's place among the shards: whose series it exposes, what it collects, and whether it serves
 * what needs every tenant (docs/sharding.md).
 *
 * - unsharded, or a shard that collects the whole snapshot (SHARD_COLLECTION=whole, the default): it
 *   exposes its tenants' series (shard 0 also the platform-wide families) and serves the status page,
 *   the API and the monitors, complete;
 * - a shard that collects only its tenants (SHARD_COLLECTION=own): it exposes their series and nothing
 *   platform-wide, and serves neither the status page nor the API; its memory and reads are its share;
 * - the platform replica (SHARD=platform) next to such shards: it collects the whole snapshot, exposes
 *   the platform-wide families and no tenant's series, and serves the status page, the API and the
 *   monitors.
 */
export interface ShardRole {
  /** The tenants whose series this replica exposes; null: none (the platform replica). */
  tenants: Shard | null;
  /** Collects only the tenants of `tenants` (SHARD_COLLECTION=own). */
  ownTenantsOnly: boolean;
  /** Exposes the platform-wide families. */
  platformFamilies: boolean;
  /** TOTAL_SHARDS, for aperio_exporter_shard_info. */
  total: number;
}

export const UNSHARDED_ROLE: ShardRole = { tenants: UNSHARDED, ownTenantsOnly: false, platformFamilies: true, total: 1 };

export type ShardSetting = number | 'platform';
export type ShardCollection = 'whole' | 'own';

/** The role of SHARD, TOTAL_SHARDS and SHARD_COLLECTION (validated together by config/settings.ts). */
export function shardRole(shard: ShardSetting, total: number, collection: ShardCollection): ShardRole {
  if (shard === 'platform') return { tenants: null, ownTenantsOnly: false, platformFamilies: true, total };
  const own = collection === 'own';
  return { tenants: { index: shard, total }, ownTenantsOnly: own, platformFamilies: !own && shard === 0, total };
}

/** The tenants this replica collects: its shard's with SHARD_COLLECTION=own, else null (every tenant). */
export const collectedShard = (role: ShardRole): Shard | null => (role.ownTenantsOnly ? role.tenants : null);

/** Whether this replica exposes a tenant's series: its shard's tenants; none on the platform replica. */
export const exposedTenants = (role: ShardRole): ((tenant: string) => boolean) => (role.tenants ? tenantFilter(role.tenants) : () => false);

/** The shard label of aperio_exporter_shard_info: the index, or "platform". */
export const shardLabel = (role: ShardRole): string => (role.tenants ? String(role.tenants.index) : 'platform');
