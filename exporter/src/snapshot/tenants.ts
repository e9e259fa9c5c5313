import type { Collector } from './collector-types';
import type { Tenant } from './types';

export const tenantsCollector: Collector<'tenants'> = {
  name: 'tenants',
  field: 'tenants',
  async collect(client) {
    const { rows } = await client.query<Tenant>(
      `SELECT id, slug, name, "dataRetentionDays" FROM "Organization" ORDER BY slug`,
    );
    return rows;
  },
};
