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
