import { iso, type Check } from '../types';
import { ACTIVE_CONNECTOR } from '../../connectors/connection-status';

/** A connector whose last N syncs all failed (N = consecutive_failures). */
export const connectorFailing: Check = ({ snapshot, config }) => {
  const c = config.connector_failing;
  const observations = snapshot.connectors
    .filter((conn) => conn.status === ACTIVE_CONNECTOR && conn.consecutiveFailures >= c.consecutiveFailures)
    .map((conn) => ({
      check: 'aperio.platform.connector_failing' as const,
      subject: `connector:${conn.id}`,
      tenantId: conn.tenantId,
      severity: c.severity,
      title: `Connector ${conn.name} (${conn.provider}, ${conn.tenant}) failed ${conn.consecutiveFailures} syncs in a row`,
      description:
        `${conn.consecutiveFailures} consecutive failed syncs of ${conn.provider} connection ${conn.id} for tenant ${conn.tenant} ` +
        `(threshold ${c.consecutiveFailures}); last attempt ${conn.lastAttemptAt ? iso(conn.lastAttemptAt) : 'unknown'}` +
        `${conn.lastError ? `, last error: ${conn.lastError}` : ''}. Look at the connection's credentials and the provider's API status.`,
    }));
  return { observations, suppressed: [] };
};
