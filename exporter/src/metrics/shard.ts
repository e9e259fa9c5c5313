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
 * 32-bit FNV-1a of the UTF-8 bytes of the tenant label value (the tenant slug, as /metrics shows it).
 * Written out rather than taken from a library so that it is the same on every Node version and can be
 * recomputed anywhere: FNV offset basis 2166136261, prime 16777619, arithmetic modulo 2^32.
 */
export function fnv1a32(value: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(value, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** The shard a tenant's series belong to: fnv1a32(tenant) mod total. */
export const shardOfTenant = (tenant: string, total: number): number => fnv1a32(tenant) % total;

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
