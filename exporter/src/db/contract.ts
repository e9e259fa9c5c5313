/**
 * The columns the exporter reads from Aperio's core tables, and the indexes its snapshot queries rely
 * on. `doctor` and startup check a real database against this list and name whatever is missing.
 */
export const CORE_CONTRACT: Record<string, string[]> = {
  Organization: ['id', 'name', 'slug', 'dataRetentionDays'],
  IntegrationConnection: ['id', 'organizationId', 'provider', 'name', 'status', 'lastSyncAt', 'lastError', 'lastErrorAt', 'syncIntervalSeconds'],
  SiemDestination: ['id', 'organizationId', 'name', 'kind', 'enabled', 'deliveriesOk', 'deliveriesFail', 'lastDeliveryAt', 'lastError', 'lastErrorAt'],
  SiemDelivery: ['id', 'destinationId', 'status', 'attempts', 'createdAt'],
  IngestionJob: ['id', 'organizationId', 'kind', 'status', 'attempts', 'createdAt'],
  DetectionRule: ['id', 'organizationId', 'key', 'name', 'severity', 'enabled', 'scheduleIntervalSeconds', 'scheduleCron'],
  Finding: ['id', 'organizationId', 'title', 'severity', 'status', 'category', 'dedupKey', 'createdAt', 'resolvedAt'],
};

/** Tables this project creates with its migrations (and the only ones it writes, with Finding's platform rows). */
export const OWNED_TABLES = ['RuleRun', 'ConnectorSyncRun', 'RuleRunHourly', 'RuleRunTotal', 'ConnectorSyncHourly', 'ConnectorSyncTotal', 'RollupState', 'RollupDirtyHour', 'ApiToken'];

/** Partial indexes that keep the snapshot queries off the delivered/finished history. */
export const RECOMMENDED_INDEXES: { name: string; table: string; ddl: string }[] = [
  {
    name: 'SiemDelivery_open_idx',
    table: 'SiemDelivery',
    ddl: `CREATE INDEX CONCURRENTLY "SiemDelivery_open_idx" ON "SiemDelivery" ("destinationId", status, "createdAt") WHERE status IN ('PENDING', 'RETRYING', 'DEAD_LETTER')`,
  },
  {
    name: 'IngestionJob_open_idx',
    table: 'IngestionJob',
    ddl: `CREATE INDEX CONCURRENTLY "IngestionJob_open_idx" ON "IngestionJob" ("organizationId", kind, status, "createdAt") WHERE status IN ('QUEUED', 'RUNNING', 'DEAD')`,
  },
];
