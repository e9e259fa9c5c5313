/**
 * Shapes of the exporter API, taken from the types generated from its OpenAPI document
 * (openapi.gen.ts, kept in step by `npm run openapi:check`), and of /status.json (docs/status.md).
 */
import type { components } from './openapi.gen';

type Schemas = components['schemas'];

export type Whoami = Schemas['Whoami'];
export type Role = Whoami['role'];
export type SnapshotMeta = Pick<Schemas['ConnectorHealthAnswer'], 'tenant' | 'snapshot'>;
export type ConnectorHealth = Schemas['ConnectorHealth'];
export type FreshnessLevel = ConnectorHealth['freshness']['level'];
export type FreshnessState = ConnectorHealth['freshness']['state'];
export type RecentSync = ConnectorHealth['recentSyncs'][number];
export type SiemHealth = Schemas['SiemHealth'];
export type QueueFigures = Schemas['QueueFigures'];
export type IngestionTenant = Schemas['TenantQueue'];
export type ListAnswer<T> = SnapshotMeta & { data: T[] };
export type ConnectorsAnswer = Schemas['ConnectorHealthAnswer'];
export type SiemAnswer = Schemas['SiemHealthAnswer'];
export type IngestionAnswer = Schemas['IngestionHealthAnswer'];
export type RuleRun = Schemas['RuleRun'];
export type RunStatus = RuleRun['status'];
export type RunTrigger = RuleRun['trigger'];
export type RuleRunPage = Schemas['RuleRunPage'];
export type RuleRunAnswer = Schemas['RuleRunAnswer'];
/** The exporter's error body: {error: {code, message, field}}; field is null unless one parameter is at fault. */
export type ApiErrorBody = Schemas['Error'];

/** /status.json is the Statuspage v2 shape (not in the OpenAPI document); the mock checks these against the exporter's Statuspage schema. */
export type ComponentStatus =
  'operational' | 'degraded_performance' | 'partial_outage' | 'major_outage' | 'under_maintenance';
export type Indicator = 'none' | 'minor' | 'major' | 'critical' | 'maintenance';

export type UptimeDay = {
  date: string;
  runs: number;
  failures: number;
  uptime: number | null;
  status: ComponentStatus | null;
};

export type StatusComponentJson = {
  id: string;
  created_at: string;
  updated_at: string;
  showcase: boolean;
  start_date: string | null;
  page_id: string;
  only_show_if_degraded: boolean;
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
  shortlink: string;
  started_at: string;
  resolved_at: string | null;
  created_at: string;
  updated_at: string;
  page_id: string;
  components: unknown[];
  incident_updates: Array<{
    id: string;
    status: string;
    body: string;
    display_at: string;
    created_at: string;
    affected_components: unknown[];
  }>;
};

export type StatusSummary = {
  page: { id: string; name: string; url: string; time_zone: string; updated_at: string };
  status: { indicator: Indicator; description: string };
  components: StatusComponentJson[];
  incidents: IncidentJson[];
  scheduled_maintenances: IncidentJson[];
  /** Present when the plugin's token is a tenant token: the page then shows that tenant's own components. */
  aperio_tenant?: { slug: string; name: string };
};
