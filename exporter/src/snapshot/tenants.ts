import { queryInBatches, type Collector } from './collector-types';
import type { Tenant } from './types';

export const tenantsCollector: Collector<'tenants'> = {
  name: 'tenants',
  field: 'tenants',
  async collect(client) {
    return queryInBatches(
      client,
      `SELECT id::text AS id, slug, name, "dataRetentionDays" FROM "Organization" ORDER BY slug`,
      [],
      (row: Tenant) => row,
    );
  },
};
