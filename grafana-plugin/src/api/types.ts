/** Shapes of the exporter API (docs/api.md) and of /status.json (docs/status.md). */

export type Role = 'OPERATOR' | 'ADMIN' | 'SECURITY_ANALYST';

export type Whoami = {
  tokenId: string;
  name: string | null;
  role: Role;
  tenant: string | null;
  dataRetentionDays: number | null;
};

export type SnapshotMeta = {
  tenant: string | null;
  snapshot: { takenAt: string | null; dataAsOf: string | null; databaseReachable: boolean };
};

export type FreshnessLevel = 'green' | 'yellow' | 'red' | 'gray';
export type FreshnessState = 'fresh' | 'stale' | 'critical' | 'never';

export type RecentSync = { startedAt: string | null; durationMs: number | null; status: string };

export type ConnectorHealth = {
  id: string;
  tenant: string;
  provider: string;
  name: string;
  status: string;
  lastSuccessfulSyncAt: string | null;
  lastAttemptAt: string | null;
  freshness: {
    level: FreshnessLevel;
    state: FreshnessState;
    ageSeconds: number | null;
    thresholds: { warnAfterSeconds: number | null; errorAfterSeconds: number | null };
  };
  consecutiveFailures: number;
  recentSyncs: RecentSync[];
  lastError: string | null;
  lastErrorAt: string | null;
};

export type SiemHealth = {
  id: string;
  tenant: string;
  name: string;
  kind: string;
  enabled: boolean;
  successRatio: { lifetime: number | null };
  deliveries: { ok: number; failed: number };
  queue: { pending: number; retrying: number };
  deadLetters: number;
  oldestPendingAt: string | null;
  lastDeliveryAt: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
};

export type QueueFigures = {
  queued: number;
  running: number;
  retrying: number;
  dead: number;
  oldestQueuedAt: string | null;
  oldestQueuedAgeSeconds: number | null;
};

export type IngestionTenant = QueueFigures & { tenant: string; kinds: Array<QueueFigures & { kind: string }> };

export type ListAnswer<T> = SnapshotMeta & { data: T[] };
export type IngestionAnswer = ListAnswer<IngestionTenant> & { total: QueueFigures };

export type RunStatus = 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'SKIPPED';
export type RunTrigger = 'SCHEDULE' | 'MANUAL' | 'EVENT';

export type RuleRun = {
  id: string;
  tenant: string;
  ruleId: string;
  ruleKey: string;
  ruleName: string;
  trigger: RunTrigger;
  scheduledFor: string | null;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  status: RunStatus;
  eventsEvaluated: number | null;
  findingsOpened: number | null;
  error: string | null;
  traceId: string | null;
};

export type RunPage<T> = {
  data: T[];
  page: { limit: number; count: number; hasMore: boolean; mode: 'page' | 'poll' };
  window: { from: string; to: string };
  order: string;
  links: { next: string | null; poll: string };
  tenant: string | null;
  dataRetentionDays: number | null;
  retentionByTenant?: Record<string, number>;
};

export type ComponentStatus = 'operational' | 'degraded_performance' | 'partial_outage' | 'major_outage' | 'under_maintenance';
export type Indicator = 'none' | 'minor' | 'major' | 'critical' | 'maintenance';

export type UptimeDay = { date: string; runs: number; failures: number; uptime: number | null; status: ComponentStatus | null };

export type StatusComponentJson = {
  id: string;
  name: string;
  status: ComponentStatus;
  description: string;
  position: number;
  group: boolean;
  group_id: string | null;
  components?: string[];
  aperio_reasons?: string[];
  aperio_uptime_90d?: number | null;
  aperio_uptime_days?: UptimeDay[];
};

export type IncidentJson = {
  id: string;
  name: string;
  status: string;
  impact: string;
  started_at: string;
  resolved_at: string | null;
  incident_updates: Array<{ id: string; status: string; body: string; display_at: string }>;
};

export type StatusSummary = {
  page: { id: string; name: string; url: string; updated_at: string };
  status: { indicator: Indicator; description: string };
  components: StatusComponentJson[];
  incidents: IncidentJson[];
  scheduled_maintenances: IncidentJson[];
  /** Present when the plugin's token is a tenant token: the page then shows that tenant's own components. */
  aperio_tenant?: { slug: string; name: string };
};

/** The exporter's error body: {error: {code, message, field}}; field is null unless one parameter is at fault. */
export type ApiErrorBody = { error: { code: string; message: string; field: string | null } };
