import { freshnessState, thresholdsFor } from '../../connectors/freshness';
import { ageText, iso, type Check } from '../types';

export const ACTIVE_CONNECTOR = 'ACTIVE';

/**
 * A connector past its provider's critical freshness threshold (error_after; a provider with
 * `error_after: null` opts out). Only active connectors: a paused one is stale on purpose.
 */
export const connectorStale: Check = ({ snapshot, config, now }) => {
  const c = config.connector_stale;
  const observations = snapshot.connectors
    .filter((conn) => conn.status === ACTIVE_CONNECTOR)
    .filter((conn) => freshnessState(conn.lastSyncAt, now, thresholdsFor(snapshot.freshness, conn.provider)) === 'critical')
    .map((conn) => {
      const limit = thresholdsFor(snapshot.freshness, conn.provider).errorAfterSeconds ?? 0;
      const lastError = conn.lastError
        ? ` The last error (${conn.lastErrorAt ? iso(conn.lastErrorAt) : 'time unknown'}): ${conn.lastError}.`
        : '';
      return {
        check: 'aperio.platform.connector_stale' as const,
        subject: `connector:${conn.id}`,
        tenantId: conn.tenantId,
        severity: c.severity,
        title: `Connector ${conn.name} (${conn.provider}, ${conn.tenant}) has not synced for ${ageText(now - (conn.lastSyncAt ?? now))}`,
        description:
          `The last successful sync of ${conn.provider} connection ${conn.id} for tenant ${conn.tenant} was at ${iso(conn.lastSyncAt ?? now)}, ` +
          `older than the provider's critical freshness threshold of ${ageText(limit * 1000)}.${lastError} ` +
          `Look at the connection's credentials and its recent syncs (ConnectorSyncRun, /api/v1/connector-syncs).`,
      };
    });
  return { observations, suppressed: [] };
};
