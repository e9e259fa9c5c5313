import path from 'node:path';
import { z } from 'zod';
import { UserError } from './user-error';

/**
 * Every environment variable the exporter reads, validated in one place. The README's configuration
 * table is generated from `SETTINGS_DOC` and a test keeps the two in step.
 */
const seconds = (def: number, min = 1) => z.coerce.number().int().min(min).default(def);
// Strict on purpose: a typo (`STATUS_PUBLIC=flase`) stops startup rather than being guessed at, so a
// page meant to be private never turns public by accident.
const flag = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(def ? 'true' : 'false')
    .transform((value) => value === 'true' || value === '1');

const schema = z.object({
  DATABASE_URL: z.string().url().optional(),
  DATABASE_READ_URL: z.string().url().optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  HOST: z.string().min(1).default('0.0.0.0'),
  // npm sets INIT_CWD to where `npm start` was typed: the project root for the README's command.
  DATA_DIR: z
    .string()
    .min(1)
    .default(path.resolve(process.env.INIT_CWD ?? process.cwd(), '.data')),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
  COLLECT_INTERVAL_SECONDS: seconds(15),
  COLLECT_FULL_INTERVAL_SECONDS: seconds(600, 0),
  STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  DATABASE_WAIT_MS: z.coerce.number().int().min(100).default(10_000),
  METRICS_TOKEN: z.string().min(16).optional(),
  METRICS_WEB_CONFIG: z.string().optional(),
  TRUSTED_PROXIES: z.string().optional(),
  METRICS_DETAIL: z.enum(['object', 'tenant', 'platform']).default('object'),
  METRICS_SERIES_LIMIT: z.coerce.number().int().min(100).default(200_000),
  SHARD: z
    .string()
    .default('0')
    .refine((value) => /^(\d+|platform)$/.test(value), 'must be a shard number (0 to TOTAL_SHARDS - 1) or platform')
    .transform((value): number | 'platform' => (value === 'platform' ? value : Number(value))),
  TOTAL_SHARDS: z.coerce.number().int().min(1).default(1),
  SHARD_COLLECTION: z.enum(['whole', 'own']).default('whole'),
  FRESHNESS_WARN_SECONDS: seconds(3600),
  FRESHNESS_ERROR_SECONDS: seconds(6 * 3600),
  FRESHNESS_CONFIG: z.string().optional(),
  STATUS_PAGE_NAME: z.string().min(1).default('Aperio'),
  STATUS_PAGE_URL: z.string().url().optional(),
  STATUS_FRAME_ANCESTORS: z.string().min(1).default('*'),
  STATUS_PUBLIC: flag(true),
  STATUS_MAINTENANCE_FILE: z.string().optional(),
  STATUS_CONSECUTIVE_FAILURES: z.coerce.number().int().min(1).default(3),
  STATUS_FAILURE_RATIO_MINOR: z.coerce.number().gt(0).max(1).default(0.1),
  STATUS_FAILURE_RATIO_MAJOR: z.coerce.number().gt(0).max(1).default(0.5),
  STATUS_QUEUE_WARN_SECONDS: seconds(120),
  STATUS_QUEUE_ERROR_SECONDS: seconds(900),
  STATUS_DATA_WARN_SECONDS: seconds(60),
  STATUS_DATA_ERROR_SECONDS: seconds(300),
  MONITORS_CONFIG: z.string().optional(),
  VERIFY_INTERVAL_SECONDS: z.coerce.number().int().min(0).default(0),
  VERIFY_SAMPLE_TENANTS: z.coerce.number().int().min(1).default(50),
  API_CURSOR_KEY: z.string().min(32).optional(),
  DEMO: z.enum(['true', 'false']).optional(),
  DEMO_TICK_SECONDS: seconds(5),
  DEMO_API_TOKEN: z.string().min(16).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** Checks between settings, each reported under the setting to change (docs/sharding.md). */
const checked = schema.superRefine((s, ctx) => {
  if (s.SHARD !== 'platform' && s.SHARD >= s.TOTAL_SHARDS) {
    ctx.addIssue({
      code: 'custom',
      path: ['SHARD'],
      message: `must be below TOTAL_SHARDS (${s.TOTAL_SHARDS}): shards are numbered 0 to TOTAL_SHARDS - 1`,
    });
  }
  if (s.TOTAL_SHARDS > 1 && s.METRICS_DETAIL === 'platform') {
    ctx.addIssue({
      code: 'custom',
      path: ['METRICS_DETAIL'],
      message: 'cannot be platform with TOTAL_SHARDS > 1: shards split the series by their tenant label',
    });
  }
  if (s.SHARD === 'platform' && s.TOTAL_SHARDS === 1) {
    ctx.addIssue({
      code: 'custom',
      path: ['SHARD'],
      message: 'platform needs TOTAL_SHARDS > 1: the platform replica goes with shards that collect only their tenants',
    });
  }
  if (s.SHARD_COLLECTION === 'own' && (s.TOTAL_SHARDS === 1 || s.SHARD === 'platform')) {
    ctx.addIssue({
      code: 'custom',
      path: ['SHARD_COLLECTION'],
      message: 'own needs a shard: SHARD 0 to TOTAL_SHARDS - 1 with TOTAL_SHARDS > 1',
    });
  }
  if (s.SHARD_COLLECTION === 'own' && s.VERIFY_INTERVAL_SECONDS > 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['VERIFY_INTERVAL_SECONDS'],
      message: 'must be 0 with SHARD_COLLECTION=own: verify reads every tenant; run it on the platform replica (SHARD=platform)',
    });
  }
});

export type Settings = z.infer<typeof schema> & {
  /** True when no DATABASE_URL was given: an embedded server, demo data and the simulator. */
  embedded: boolean;
  demo: boolean;
};

export const SETTINGS_DOC: Record<keyof z.infer<typeof schema>, string> = {
  DATABASE_URL: 'PostgreSQL URL of the Aperio database. Unset: an embedded PostgreSQL with demo data.',
  DATABASE_READ_URL: 'Optional read replica for the snapshot queries and the audit API.',
  PORT: 'HTTP port for /metrics, /status and the API (0 picks a free port).',
  HOST: 'Address to listen on.',
  DATA_DIR:
    'Where the embedded PostgreSQL keeps its data, reused on the next start (default `.data` in the directory `npm start` ran from).',
  EMBEDDED_PG_PORT: 'Port of the embedded PostgreSQL server (loopback only).',
  COLLECT_INTERVAL_SECONDS: 'How often the snapshot is rebuilt from the database.',
  COLLECT_FULL_INTERVAL_SECONDS:
    "How often connectors, rules and the status history are read whole (over 50,000 connectors or rule pairs, or on a shard collecting its own tenants, spread over the interval: each collection re-reads its share); in between, only the objects whose runs, columns or windows changed are re-read, and the status history's closed days are kept (0: every collection reads whole).",
  STATEMENT_TIMEOUT_MS: 'statement_timeout for every snapshot query; a slower query keeps the last good data.',
  DATABASE_WAIT_MS:
    'How long an API request, export batch or token lookup waits for a free connection of its pool before it is answered 503 with Retry-After.',
  METRICS_TOKEN:
    'If set (16+ characters), /metrics requires `Authorization: Bearer <token>` (Prometheus: `authorization.credentials_file`).',
  METRICS_WEB_CONFIG:
    "Path to a web configuration file in the Prometheus exporters' convention: `basic_auth_users` (bcrypt hashes) protect /metrics, `tls_server_config` (cert_file, key_file) serves the port over TLS (docs/metrics.md).",
  TRUSTED_PROXIES:
    'Comma-separated addresses or CIDR ranges (or `loopback`, `uniquelocal`) of reverse proxies whose `X-Forwarded-For` names the client, for the bad-token limits. Unset: no proxy is trusted.',
  METRICS_DETAIL: '`object` (per connector, destination, rule and tenant), `tenant` (per tenant) or `platform` (no tenant labels).',
  METRICS_SERIES_LIMIT: 'Series budget: above it the exporter falls back to a coarser detail and sets aperio_exporter_series_limited 1.',
  SHARD:
    'Which shard of the tenants this replica exposes on /metrics, 0 to TOTAL_SHARDS - 1 (docs/sharding.md); shard 0 also exposes the platform-wide families, unless the shards collect only their tenants: then `platform` names the replica that exposes them.',
  TOTAL_SHARDS:
    'Number of shards the per-tenant series are split into by a hash of the tenant (docs/sharding.md); 1 (default): no sharding.',
  SHARD_COLLECTION:
    "`whole` (default): a shard collects every tenant and serves the status page and the API; `own`: it collects only its shard's tenants (its memory and reads are its share) and exposes their series alone, next to a `SHARD=platform` replica (docs/sharding.md).",
  FRESHNESS_WARN_SECONDS: 'Default age of the last successful sync after which a connector is stale (yellow).',
  FRESHNESS_ERROR_SECONDS: 'Default age after which a connector is critical (red).',
  FRESHNESS_CONFIG: 'Path to a YAML file with per-provider freshness thresholds (dbt-style warn_after / error_after, null opts out).',
  STATUS_PAGE_NAME: 'Name shown on /status and in `page.name` of /status.json.',
  STATUS_PAGE_URL: 'Public URL of the status page, for `page.url`, the Atom feed and incident shortlinks (default: relative `/status`).',
  STATUS_FRAME_ANCESTORS:
    "CSP `frame-ancestors` of /status and its badges: who may embed the page in an iframe (`*` anyone, `'none'` nobody, or origins).",
  STATUS_PUBLIC:
    '`true` (or 1): /status, its JSON, feed and badges answer without a token; `false` (or 0): every status route needs an API token (docs/status.md).',
  STATUS_MAINTENANCE_FILE:
    'Path to a YAML file of maintenance windows (docs/status.md); components in an active window show `under_maintenance`.',
  STATUS_CONSECUTIVE_FAILURES: 'Failed syncs in a row after which a connector counts as down on the status page.',
  STATUS_FAILURE_RATIO_MINOR:
    'Failure ratio of the last hour (syncs per provider, rule runs) from which a component is degraded_performance.',
  STATUS_FAILURE_RATIO_MAJOR:
    'Failure ratio of the last hour from which a component is partial_outage (major_outage when every run failed).',
  STATUS_QUEUE_WARN_SECONDS:
    'Age of the oldest queued ingestion job or pending SIEM delivery from which the component is degraded_performance (a SIEM destination counts as degraded).',
  STATUS_QUEUE_ERROR_SECONDS:
    'Age of the oldest queued ingestion job from which Ingestion queue is partial_outage, and of the oldest pending delivery from which a SIEM destination counts as down.',
  STATUS_DATA_WARN_SECONDS: 'Age of the exporter data (last complete collection) from which "Data freshness" is degraded_performance.',
  STATUS_DATA_ERROR_SECONDS: 'Age of the exporter data from which "Data freshness" is partial_outage (major_outage: database unreachable).',
  MONITORS_CONFIG:
    'Path to a YAML file overriding the self-monitoring checks (docs/monitors.md): per check enabled, thresholds, `for`, `recovery`, severity.',
  VERIFY_INTERVAL_SECONDS:
    '`serve` runs `verify` (docs/verification.md) every this many seconds and exposes the aperio_exporter_verify_* metrics; 0 (default) switches it off. 3600 is a good period for production.',
  VERIFY_SAMPLE_TENANTS:
    'With more tenants than this, `verify` checks a deterministic sample of this many tenants (named in its output) to stay bounded.',
  API_CURSOR_KEY:
    "Key (32+ characters) that signs the API's page cursors; give every replica the same one. Unset: a random key per process, so cursors end with a restart (400 `invalid_cursor`).",
  DEMO: '`true` seeds demo data and runs the simulator on DATABASE_URL too (never use on a real Aperio database).',
  DEMO_TICK_SECONDS: 'How often the demo simulator writes new runs, deliveries and jobs.',
  DEMO_API_TOKEN:
    'Demo only: this secret (16+ characters) also works as an OPERATOR API token, so a Grafana provisioned with the same value works on first start (docker-compose.yml).',
  LOG_LEVEL: 'pino log level.',
};

export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const relevant = Object.fromEntries(
    Object.keys(schema.shape)
      .filter((key) => env[key] !== undefined && env[key] !== '')
      .map((key) => [key, env[key]]),
  );
  const parsed = checked.safeParse(relevant);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0]);
      return `${key}=${JSON.stringify(env[key])}: ${issue.message} (${SETTINGS_DOC[key as keyof typeof SETTINGS_DOC] ?? ''})`;
    });
    throw new UserError(`invalid configuration:\n  ${problems.join('\n  ')}`, 'fix the variables above; the README lists every setting');
  }
  const embedded = parsed.data.DATABASE_URL === undefined;
  return { ...parsed.data, embedded, demo: embedded || parsed.data.DEMO === 'true' };
}
