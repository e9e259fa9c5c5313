import { epochSeconds, tenantFilter, type Definitions } from './types';

/** The last successful sync of a connector is its IntegrationConnection.lastSyncAt, nothing else. */
const SQL = `
SELECT c.id, o.slug AS tenant, c.provider, c."lastSyncAt"
FROM "IntegrationConnection" c JOIN "Organization" o ON o.id = c."organizationId"
WHERE ${tenantFilter('c."organizationId"')} AND c."lastSyncAt" IS NOT NULL`;

export const connectorDefinitions: Definitions = {
  domain: 'connectors',
  families: [{ name: 'aperio_connector_last_sync_timestamp_seconds', compare: 'timestamp' }],
  async recompute({ client, tenantIds }) {
    const { rows } = await client.query<{ id: string; tenant: string; provider: string; lastSyncAt: Date }>(SQL, [tenantIds]);
    return rows.map((c) => ({
      family: 'aperio_connector_last_sync_timestamp_seconds',
      series: 'aperio_connector_last_sync_timestamp_seconds',
      labels: { tenant: c.tenant, connector: c.id, provider: c.provider },
      value: epochSeconds(c.lastSyncAt)!,
    }));
  },
};
