import type pg from 'pg';
import type { Scale } from './args';
import { note, Progress } from '../src/util/progress';

/**
 * Seeds a dataset of the given scale with generate_series, in chunks so each statement stays short and
 * the progress bar moves. Run rows are spread evenly over `scale.days` back from `now`, newest first,
 * into daily partitions created beforehand (as the maintenance job keeps them in production).
 */
export const PROVIDERS = ['okta', 'github', 'crowdstrike', 'aws', 'gcp', 'azure_ad', 'slack', 'google_workspace'];
const BUILT_IN_RULES = 20;
const RUN_CHUNK = 250_000;
const ROW_CHUNK = 50_000;

const pad = (expr: string, width: number) => `lpad((${expr})::text, ${width}, '0')`;
const orgId = (n: string) => `'org_' || ${pad(n, 5)}`;
const providerOf = (conn: string) => `(ARRAY[${PROVIDERS.map((p) => `'${p}'`).join(',')}])[1 + (${conn}) % ${PROVIDERS.length}]`;

export async function seed(pool: pg.Pool, scale: Scale, now: number): Promise<void> {
  const at = new Date(now);
  const t = scale.tenants;
  // Retention mix: a tenth keep 7 days, six tenths 30, three tenths 90.
  await chunked(
    pool,
    'Organization',
    t,
    ROW_CHUNK,
    `
    INSERT INTO "Organization" (id, name, slug, "dataRetentionDays", "createdAt")
    SELECT ${orgId('g')}, 'Tenant ' || g, 'tenant-' || ${pad('g', 5)},
           CASE WHEN g % 10 = 0 THEN 7 WHEN g % 10 >= 7 THEN 90 ELSE 30 END, $3::timestamptz - interval '400 days'
    FROM generate_series($1::int, $2::int) g`,
    [at],
  );
  await chunked(
    pool,
    'IntegrationConnection',
    scale.connectors,
    ROW_CHUNK,
    `
    INSERT INTO "IntegrationConnection" (id, "organizationId", provider, name, status, "lastSyncAt", "lastError", "lastErrorAt", "syncIntervalSeconds")
    SELECT 'conn_' || ${pad('g', 6)}, ${orgId(`(g - 1) % ${t} + 1`)}, ${providerOf('g')}, 'connector ' || g,
           CASE WHEN g % 50 = 0 THEN 'ERROR' ELSE 'ACTIVE' END,
           $3::timestamptz - CASE WHEN g % 50 = 0 THEN interval '2 days' ELSE (g % 120) * interval '1 minute' END,
           CASE WHEN g % 50 = 0 THEN 'token expired' END, CASE WHEN g % 50 = 0 THEN $3::timestamptz - interval '1 hour' END,
           CASE WHEN g % 4 = 0 THEN 3600 ELSE 900 END
    FROM generate_series($1::int, $2::int) g`,
    [at],
  );
  await chunked(
    pool,
    'SiemDestination',
    scale.destinations,
    ROW_CHUNK,
    `
    INSERT INTO "SiemDestination" (id, "organizationId", name, kind, "deliveriesOk", "deliveriesFail", "lastDeliveryAt")
    SELECT 'dest_' || ${pad('g', 5)}, ${orgId(`(g - 1) % ${t} + 1`)}, 'destination ' || g,
           (ARRAY['SPLUNK_HEC','SENTINEL','WEBHOOK','CHRONICLE'])[1 + g % 4], 1000 + g, g % 17, $3::timestamptz - (g % 60) * interval '1 second'
    FROM generate_series($1::int, $2::int) g`,
    [at],
  );
  // Ten open deliveries and twenty-five delivered ones per destination: the collector must skip the latter.
  const statuses = [...'PPPPPRRRDD'].map((c) => ({ P: 'PENDING', R: 'RETRYING', D: 'DEAD_LETTER' })[c as 'P' | 'R' | 'D']);
  await chunked(
    pool,
    'SiemDelivery',
    scale.destinations * 35,
    ROW_CHUNK,
    `
    INSERT INTO "SiemDelivery" (id, "destinationId", status, attempts, "createdAt", "deliveredAt")
    SELECT 'del_' || g, 'dest_' || ${pad(`(g - 1) % ${scale.destinations} + 1`, 5)}, coalesce(s.status, 'DELIVERED'),
           1 + g % 3, $3::timestamptz - (g % 3600) * interval '1 second',
           CASE WHEN s.status IS NULL THEN $3::timestamptz - (g % 3600) * interval '1 second' END
    FROM generate_series($1::int, $2::int) g
    LEFT JOIN LATERAL (SELECT (ARRAY[${statuses.map((v) => `'${v}'`).join(',')}])[1 + (g - 1) / ${scale.destinations}] AS status) s ON true`,
    [at],
  );
  // Open jobs (queued, running, dead) and as many finished ones, which the partial index leaves out.
  await chunked(
    pool,
    'IngestionJob',
    scale.openJobs * 2,
    ROW_CHUNK,
    `
    INSERT INTO "IngestionJob" (id, "organizationId", kind, status, attempts, "createdAt")
    SELECT 'job_' || g, ${orgId(`(g - 1) % ${t} + 1`)}, (ARRAY['events','assets','users'])[1 + g % 3],
           CASE WHEN g > ${scale.openJobs} THEN 'SUCCEEDED' WHEN g % 10 < 7 THEN 'QUEUED' WHEN g % 10 < 9 THEN 'RUNNING' ELSE 'DEAD' END,
           1 + g % 3, $3::timestamptz - (g % 7200) * interval '1 second'
    FROM generate_series($1::int, $2::int) g`,
    [at],
  );
  await pool.query(
    `INSERT INTO "DetectionRule" (id, "organizationId", key, name, severity, "scheduleIntervalSeconds")
     SELECT 'rule_b' || ${pad('g', 2)}, NULL, 'builtin_' || g, 'Built-in rule ' || g, 'HIGH', CASE WHEN g % 2 = 0 THEN 3600 ELSE 300 END
     FROM generate_series(0, ${BUILT_IN_RULES - 1}) g
     UNION ALL
     SELECT 'rule_t' || ${pad('g', 5)}, ${orgId('g')}, 'custom_rule', 'Tenant rule', 'MEDIUM', 3600 FROM generate_series(1, ${t}) g`,
  );
  note(`DetectionRule          ${BUILT_IN_RULES} built-in + ${t} tenant rules`);
  await seedRuns(pool, scale, at);
  for (const table of [
    'Organization',
    'IntegrationConnection',
    'SiemDestination',
    'SiemDelivery',
    'IngestionJob',
    'DetectionRule',
    'RuleRun',
    'ConnectorSyncRun',
  ]) {
    await pool.query(`VACUUM (ANALYZE) "${table}"`);
  }
  note('vacuumed and analysed');
}

async function seedRuns(pool: pg.Pool, scale: Scale, at: Date): Promise<void> {
  for (const table of ['RuleRun', 'ConnectorSyncRun']) {
    await pool.query(`SELECT aperio_ensure_daily_partitions($1, ($2::timestamptz)::date - $3::int - 1, ($2::timestamptz)::date + 8)`, [
      table,
      at,
      scale.days,
    ]);
  }
  const pairs = scale.tenants * (BUILT_IN_RULES + 1);
  const spread = (n: number) => `$3::timestamptz - (g::float8 / ${n}) * ${scale.days} * interval '1 day'`;
  const status = `CASE WHEN x.u < 0.03 THEN 'FAILED' WHEN x.u < 0.04 THEN 'TIMED_OUT' WHEN x.u < 0.05 THEN 'SKIPPED' ELSE 'SUCCEEDED' END`;
  // Each (tenant, rule) pair runs in turn: 20 built-in rules and the tenant's own per tenant.
  await chunked(
    pool,
    'RuleRun',
    scale.ruleRuns,
    RUN_CHUNK,
    `
    INSERT INTO "RuleRun" ("organizationId", "ruleId", trigger, "startedAt", "finishedAt", "durationMs", status, "eventsEvaluated", "findingsOpened")
    SELECT ${orgId(`(g % ${pairs}) / ${BUILT_IN_RULES + 1} + 1`)},
           CASE WHEN g % ${pairs} % ${BUILT_IN_RULES + 1} < ${BUILT_IN_RULES} THEN 'rule_b' || ${pad(`g % ${pairs} % ${BUILT_IN_RULES + 1}`, 2)}
                ELSE 'rule_t' || ${pad(`(g % ${pairs}) / ${BUILT_IN_RULES + 1} + 1`, 5)} END,
           'SCHEDULE', ${spread(scale.ruleRuns)}, ${spread(scale.ruleRuns)} + x.d * interval '1 millisecond', x.d, ${status},
           (x.u * 100000)::bigint, (x.u < 0.01)::int
    FROM generate_series($1::int, $2::int) g, LATERAL (SELECT random() + 0 * g AS u, (random() * random() * 20000 + 0 * g)::int AS d) x`,
    [at],
  );
  await chunked(
    pool,
    'ConnectorSyncRun',
    scale.syncRuns,
    RUN_CHUNK,
    `
    INSERT INTO "ConnectorSyncRun" ("organizationId", "connectionId", provider, trigger, "startedAt", "finishedAt", "durationMs", status, "recordsIngested")
    SELECT ${orgId(`(g % ${scale.connectors}) % ${scale.tenants} + 1`)}, 'conn_' || ${pad(`g % ${scale.connectors} + 1`, 6)},
           ${providerOf(`g % ${scale.connectors} + 1`)}, 'SCHEDULE', ${spread(scale.syncRuns)},
           ${spread(scale.syncRuns)} + x.d * interval '1 millisecond', x.d, ${status}, (x.u * 5000)::bigint
    FROM generate_series($1::int, $2::int) g, LATERAL (SELECT random() + 0 * g AS u, (random() * random() * 600000 + 0 * g)::int AS d) x`,
    [at],
  );
}

/** Runs `sql` over [1, total] in chunks ($1, $2 are the chunk's bounds, extra params follow). */
async function chunked(pool: pg.Pool, label: string, total: number, chunk: number, sql: string, params: unknown[]): Promise<void> {
  const progress = new Progress(label, total);
  progress.update(0);
  for (let from = 1; from <= total; from += chunk) {
    const to = Math.min(total, from + chunk - 1);
    await pool.query(sql, [from, to, ...params]);
    progress.update(to);
  }
}
