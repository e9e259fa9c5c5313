import { inShardSql, type Shard } from '../metrics/shard';
import { queryInBatches, type Collector } from '../snapshot/collector-types';
import type { Tenant } from '../snapshot/types';

/** Every tenant (null), or the tenants of one shard (SHARD_COLLECTION=own). */
export function tenantsCollectorOf(shard: Shard | null): Collector<'tenants'> {
  const text = `SELECT id::text AS id, slug, name, "dataRetentionDays" FROM "Organization"
${shard ? `WHERE ${inShardSql('slug', shard)}` : ''} ORDER BY slug`;
  return {
    name: 'tenants',
    field: 'tenants',
    async collect(client) {
      return queryInBatches(client, text, [], (row: Tenant) => row);
    },
  };
}

export const tenantsCollector = tenantsCollectorOf(null);
