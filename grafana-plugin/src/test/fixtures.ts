import type {
  ConnectorHealth,
  IngestionAnswer,
  RuleRun,
  SiemHealth,
  SnapshotMeta,
  StatusComponentJson,
  StatusSummary,
} from '../api/types';

const NOW = Date.parse('2026-11-26T12:00:00Z');
const ago = (seconds: number) => new Date(NOW - seconds * 1000).toISOString();

export const snapshotMeta = (tenant: string | null): SnapshotMeta => ({
  tenant,
  snapshot: { takenAt: ago(5), dataAsOf: ago(10), databaseReachable: true },
});

const connector = (
  id: string,
  tenant: string,
  provider: string,
  name: string,
  state: ConnectorHealth['freshness']['state'],
  age: number | null,
  extra: Partial<ConnectorHealth> = {}
): ConnectorHealth => ({
  id,
  tenant,
  provider,
  name,
  status: 'ACTIVE',
  lastSuccessfulSyncAt: age === null ? null : ago(age),
  lastAttemptAt: ago(60),
  freshness: {
    level: ({ fresh: 'green', stale: 'yellow', critical: 'red', never: 'gray' } as const)[state],
    state,
    ageSeconds: age,
    thresholds: { warnAfterSeconds: 3600, errorAfterSeconds: 21600 },
  },
  consecutiveFailures: 0,
  recentSyncs: [
    { startedAt: ago(300), durationMs: 1200, status: 'SUCCEEDED' },
    { startedAt: ago(1200), durationMs: 5400, status: 'FAILED' },
  ],
  lastError: null,
  lastErrorAt: null,
  ...extra,
});

export const connectors: ConnectorHealth[] = [
  connector('c1', 'acme', 'okta', 'Acme Okta', 'fresh', 300),
  connector('c2', 'acme', 'github', 'Acme GitHub', 'critical', 30000, {
    consecutiveFailures: 4,
    lastError: 'GitHub API answered 401 Bad credentials while listing audit log events for the organisation acme-corp',
    lastErrorAt: ago(120),
  }),
  connector('c3', 'globex', 'okta', 'Globex Okta', 'stale', 5000),
  connector('c4', 'globex', 'google', 'Globex Workspace', 'never', null, { recentSyncs: [] }),
];

export const siem: SiemHealth[] = [
  {
    id: 's1',
    tenant: 'acme',
    name: 'Acme Splunk',
    kind: 'splunk_hec',
    enabled: true,
    successRatio: { lifetime: 0.9875 },
    deliveries: { ok: 790, failed: 10 },
    queue: { pending: 3, retrying: 1 },
    deadLetters: 2,
    oldestPendingAt: ago(30),
    lastDeliveryAt: ago(15),
    lastError: 'HEC answered 503',
    lastErrorAt: ago(600),
  },
];

export const ingestion: IngestionAnswer = {
  ...snapshotMeta(null),
  data: [
    {
      tenant: 'acme',
      queued: 12,
      running: 2,
      retrying: 1,
      dead: 0,
      oldestQueuedAt: ago(90),
      oldestQueuedAgeSeconds: 90,
      kinds: [
        {
          kind: 'okta_events',
          queued: 12,
          running: 2,
          retrying: 1,
          dead: 0,
          oldestQueuedAt: ago(90),
          oldestQueuedAgeSeconds: 90,
        },
      ],
    },
  ],
  total: { queued: 12, running: 2, retrying: 1, dead: 0, oldestQueuedAt: ago(90), oldestQueuedAgeSeconds: 90 },
};

const statuses = ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'SUCCEEDED', 'SKIPPED'] as const;
const triggers = ['SCHEDULE', 'MANUAL', 'EVENT'] as const;

/** 7 runs, newest first, as the API orders them. */
export const ruleRuns: RuleRun[] = Array.from({ length: 7 }, (_, i) => ({
  id: String(100 - i),
  tenant: 'acme',
  ruleId: i % 2 === 0 ? 'r1' : 'r2',
  ruleKey: i % 2 === 0 ? 'impossible_travel' : 'mass_download',
  ruleName: i % 2 === 0 ? 'Impossible travel' : 'Mass download',
  trigger: triggers[i % 3],
  scheduledFor: ago(600 * i + 5),
  startedAt: ago(600 * i),
  finishedAt: ago(600 * i - 2),
  durationMs: 1000 * (i + 1),
  status: statuses[i % 5],
  eventsEvaluated: 1000 * i,
  findingsOpened: i,
  error: statuses[i % 5] === 'FAILED' ? 'query canceled: statement timeout' : null,
  traceId: null,
}));

const days = (status: 'operational' | 'major_outage') =>
  Array.from({ length: 90 }, (_, i) => ({
    date: new Date(NOW - (89 - i) * 86_400_000).toISOString().slice(0, 10),
    runs: i < 80 ? 0 : 10,
    failures: status === 'operational' || i < 89 ? 0 : 10,
    uptime: i < 80 ? null : status === 'operational' || i < 89 ? 1 : 0,
    status: i < 80 ? null : status === 'operational' || i < 89 ? ('operational' as const) : ('major_outage' as const),
  }));

/** The Statuspage v2 fields every component carries beside Aperio's own. */
const component = (
  fields: Omit<
    StatusComponentJson,
    'created_at' | 'updated_at' | 'showcase' | 'start_date' | 'page_id' | 'only_show_if_degraded'
  >
): StatusComponentJson => ({
  created_at: ago(86_400 * 30),
  updated_at: ago(5),
  showcase: !fields.group,
  start_date: null,
  page_id: 'aperio',
  only_show_if_degraded: false,
  ...fields,
});

export const statusSummary: StatusSummary = {
  page: { id: 'aperio', name: 'Aperio', url: 'http://exporter.test/status', time_zone: 'Etc/UTC', updated_at: ago(5) },
  status: { indicator: 'major', description: 'Partial System Outage' },
  components: [
    component({
      id: 'connectors',
      name: 'Connectors',
      status: 'partial_outage',
      description: '',
      position: 1,
      group: true,
      group_id: null,
      components: ['connector-okta', 'connector-github'],
    }),
    component({
      id: 'connector-okta',
      name: 'Okta',
      status: 'operational',
      description: '',
      position: 2,
      group: false,
      group_id: 'connectors',
      aperio_reasons: [],
      aperio_uptime_90d: 1,
      aperio_uptime_days: days('operational'),
    }),
    component({
      id: 'connector-github',
      name: 'GitHub',
      status: 'major_outage',
      description: '',
      position: 3,
      group: false,
      group_id: 'connectors',
      aperio_reasons: ['1 of 1 connections down.'],
      aperio_uptime_90d: 0.9,
      aperio_uptime_days: days('major_outage'),
    }),
  ],
  incidents: [
    {
      id: 'inc-1',
      name: 'GitHub: major outage',
      status: 'investigating',
      impact: 'critical',
      shortlink: 'http://exporter.test/status#incident-inc-1',
      started_at: ago(3600),
      resolved_at: null,
      created_at: ago(3600),
      updated_at: ago(3600),
      page_id: 'aperio',
      components: [],
      incident_updates: [
        {
          id: 'u1',
          status: 'investigating',
          body: 'GitHub is in major outage.',
          display_at: ago(3600),
          created_at: ago(3600),
          affected_components: [],
        },
      ],
    },
  ],
  scheduled_maintenances: [],
};
