/**
 * IntegrationConnection.status values the exporter acts on. Only an ACTIVE connection is expected to
 * sync on its schedule, so only it can be stale, failing or late (monitors, schedules, the API); the
 * status page leaves out connections switched off on purpose.
 */
export const ACTIVE_CONNECTOR = 'ACTIVE';

/** Switched off on purpose: not a component of the status page, however old its last sync. */
export const INACTIVE_CONNECTOR_STATUSES: ReadonlySet<string> = new Set(['DISABLED', 'PAUSED', 'INACTIVE', 'DELETED']);
