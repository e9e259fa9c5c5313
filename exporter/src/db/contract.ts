/**
 * Every column the exporter reads or writes in Aperio's core tables, with its type family, and the
 * indexes its snapshot queries rely on. `doctor` and startup check a real database against it and name
 * whatever is missing; test/core/contract-database.test.ts builds a database from this list alone and
 * runs the collectors and the monitors' writes on it, so a statement touching a column not listed here
 * fails that test, and it has PostgreSQL explain every statement it saw, so a column listed here that no
 * statement uses fails it too. An optional column says what is lost without it: the exporter degrades instead of
 * refusing to start.
 */
export type TypeFamily = 'id' | 'text' | 'integer' | 'boolean' | 'timestamp';

export interface ContractColumn {
  name: string;
  type: TypeFamily;
  /** Set on optional columns: what the exporter does without them. */
  withoutIt?: string;
}

const col = (name: string, type: TypeFamily, withoutIt?: string): ContractColumn => ({ name, type, ...(withoutIt ? { withoutIt } : {}) });

export const CORE_CONTRACT: Record<string, ContractColumn[]> = {
  Organization: [col('id', 'id'), col('name', 'text'), col('slug', 'text'), col('dataRetentionDays', 'integer')],
  IntegrationConnection: [
    col('id', 'id'),
    col('organizationId', 'id'),
    col('provider', 'text'),
    col('name', 'text'),
    col('status', 'text'),
    col('lastSyncAt', 'timestamp'),
    col('lastError', 'text'),
    col('lastErrorAt', 'timestamp'),
    col('syncIntervalSeconds', 'integer'),
  ],
  SiemDestination: [
    col('id', 'id'),
    col('organizationId', 'id'),
    col('name', 'text'),
    col('kind', 'text'),
    col('enabled', 'boolean'),
    col('deliveriesOk', 'integer'),
    col('deliveriesFail', 'integer'),
    col('lastDeliveryAt', 'timestamp'),
    col('lastError', 'text'),
    col('lastErrorAt', 'timestamp'),
  ],
  // Deliveries and jobs are only counted, never read one by one: their ids are not needed.
  SiemDelivery: [col('destinationId', 'id'), col('status', 'text'), col('attempts', 'integer'), col('createdAt', 'timestamp')],
  IngestionJob: [
    col('organizationId', 'id'),
    col('kind', 'text'),
    col('status', 'text'),
    col('attempts', 'integer'),
    col('createdAt', 'timestamp'),
  ],
  DetectionRule: [
    col('id', 'id'),
    col('organizationId', 'id'),
    col('key', 'text'),
    col('name', 'text'),
    col('severity', 'text'),
    col('enabled', 'boolean'),
    col('scheduleIntervalSeconds', 'integer'),
    col('scheduleCron', 'text', 'cron schedules are not checked for missed runs (interval schedules still are)'),
  ],
  // Read by the findings collector and written by the self-monitoring checks (aperio.platform.* rows only).
  Finding: [
    col('id', 'id'),
    col('organizationId', 'id'),
    col('ruleId', 'id'),
    col('title', 'text'),
    col('description', 'text'),
    col('severity', 'text'),
    col('status', 'text'),
    col('category', 'text'),
    col('dedupKey', 'text'),
    col('createdAt', 'timestamp'),
    col('updatedAt', 'timestamp'),
    col('resolvedAt', 'timestamp'),
  ],
};

/** PostgreSQL types (pg_type.typname) each family accepts; enum types count as text (Prisma enums). */
export const TYPE_FAMILIES: Record<TypeFamily, string[]> = {
  id: ['text', 'varchar', 'bpchar', 'uuid', 'int8', 'int4'],
  text: ['text', 'varchar', 'bpchar'],
  integer: ['int2', 'int4', 'int8', 'numeric'],
  boolean: ['bool'],
  timestamp: ['timestamptz', 'timestamp'],
};

/** Tables this project creates with its migrations (and the only ones it writes, with Finding's platform rows). */
export const OWNED_TABLES = [
  'RuleRun',
  'ConnectorSyncRun',
  'RuleRunHourly',
  'RuleRunTotal',
  'ConnectorSyncHourly',
  'ConnectorSyncTotal',
  'RuleRunDaily',
  'ConnectorSyncDaily',
  'RollupState',
  'RollupDirtyHour',
  'ApiToken',
];

/**
 * Partial indexes that keep the snapshot queries off the delivered/finished history. Checked by
 * definition (columns and predicate), so the same index under another name counts.
 */
export interface RecommendedIndex {
  name: string;
  table: string;
  columns: string[];
  predicate: string;
}

const recommended = (name: string, table: string, columns: string[], predicate: string): RecommendedIndex => ({
  name,
  table,
  columns,
  predicate,
});

export const RECOMMENDED_INDEXES: RecommendedIndex[] = [
  recommended(
    'SiemDelivery_open_idx',
    'SiemDelivery',
    ['destinationId', 'status', 'createdAt'],
    `status IN ('PENDING', 'RETRYING', 'DEAD_LETTER')`,
  ),
  recommended(
    'IngestionJob_open_idx',
    'IngestionJob',
    ['organizationId', 'kind', 'status', 'createdAt'],
    `status IN ('QUEUED', 'RUNNING', 'DEAD')`,
  ),
  recommended('Finding_open_category_idx', 'Finding', ['category', 'dedupKey'], `status = 'OPEN'`),
];

export const indexDdl = (index: RecommendedIndex) =>
  `CREATE INDEX CONCURRENTLY "${index.name}" ON "${index.table}" (${index.columns.map((c) => `"${c}"`).join(', ')}) WHERE ${index.predicate}`;

/**
 * An optional column read without failing when the table lacks it: through the row as JSON, whose
 * missing key is NULL. Costs a row-to-JSON per row, so it is only for small tables (DetectionRule).
 */
export const optionalColumnSql = (alias: string, column: string) => `(to_jsonb(${alias}) ->> '${column}')`;
