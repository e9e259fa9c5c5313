import type pg from 'pg';

/**
 * Small, explicit rows for tests: every value a test asserts is written here, in the test's sight.
 * A run with durationMs null has no finishedAt either: skipped, or never finished.
 */
export async function insertTenant(pool: pg.Pool, slug: string, retentionDays = 30): Promise<string> {
  const id = `org_${slug}`;
  await pool.query(`INSERT INTO "Organization" (id, name, slug, "dataRetentionDays") VALUES ($1, $2, $3, $4)`, [
    id,
    slug.toUpperCase(),
    slug,
    retentionDays,
  ]);
  return id;
}

export async function insertConnector(
  pool: pg.Pool,
  c: { id: string; org: string; provider: string; lastSyncAt: Date | null; interval?: number; status?: string },
): Promise<void> {
  await pool.query(
    `INSERT INTO "IntegrationConnection" (id, "organizationId", provider, name, status, "lastSyncAt", "syncIntervalSeconds")
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    // No schedule unless a test gives one: a scheduled connection without syncs has missed its slots (docs/metrics.md).
    [c.id, c.org, c.provider, `${c.provider} of ${c.org}`, c.status ?? 'ACTIVE', c.lastSyncAt, c.interval ?? 0],
  );
}

export async function insertSync(
  pool: pg.Pool,
  s: { connectionId: string; org: string; provider: string; startedAt: Date; durationMs: number | null; status: string; records?: number },
): Promise<void> {
  await pool.query(
    `INSERT INTO "ConnectorSyncRun" ("organizationId", "connectionId", provider, trigger, "startedAt", "finishedAt", "durationMs", status, "recordsIngested")
     VALUES ($1, $2, $3, 'SCHEDULE', $4, $4::timestamptz + $5::int * interval '1 millisecond', $5::int, $6, $7)`,
    [s.org, s.connectionId, s.provider, s.startedAt, s.durationMs, s.status, s.records ?? 0],
  );
}

export async function insertRule(
  pool: pg.Pool,
  r: { id: string; org: string | null; key: string; interval?: number | null; enabled?: boolean },
): Promise<void> {
  await pool.query(
    `INSERT INTO "DetectionRule" (id, "organizationId", key, name, severity, enabled, "scheduleIntervalSeconds") VALUES ($1, $2, $3, $4, 'HIGH', $5, $6)`,
    [r.id, r.org, r.key, r.key.replace(/_/g, ' '), r.enabled ?? true, r.interval ?? null],
  );
}

export async function insertRuleRun(
  pool: pg.Pool,
  r: { org: string; ruleId: string; startedAt: Date; durationMs: number | null; status: string; events?: number; findings?: number },
): Promise<void> {
  await pool.query(
    `INSERT INTO "RuleRun" ("organizationId", "ruleId", trigger, "startedAt", "finishedAt", "durationMs", status, "eventsEvaluated", "findingsOpened")
     VALUES ($1, $2, 'SCHEDULE', $3, $3::timestamptz + $4::int * interval '1 millisecond', $4::int, $5, $6, $7)`,
    [r.org, r.ruleId, r.startedAt, r.durationMs, r.status, r.events ?? 0, r.findings ?? 0],
  );
}

export async function insertDestination(
  pool: pg.Pool,
  d: { id: string; org: string; kind: string; ok: number; fail: number; lastDeliveryAt?: Date | null },
): Promise<void> {
  await pool.query(
    `INSERT INTO "SiemDestination" (id, "organizationId", name, kind, "deliveriesOk", "deliveriesFail", "lastDeliveryAt") VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [d.id, d.org, `${d.kind} of ${d.org}`, d.kind, d.ok, d.fail, d.lastDeliveryAt ?? null],
  );
}

export async function insertDeliveries(
  pool: pg.Pool,
  destinationId: string,
  status: string,
  count: number,
  createdAt: Date,
): Promise<void> {
  await pool.query(
    `INSERT INTO "SiemDelivery" (id, "destinationId", status, attempts, "createdAt")
     SELECT $1 || '_' || $2 || '_' || g, $1, $2, CASE WHEN $2 = 'RETRYING' THEN 2 ELSE 0 END, $3 FROM generate_series(1, $4::int) g`,
    [destinationId, status, createdAt, count],
  );
}

export async function insertJobs(
  pool: pg.Pool,
  j: { org: string; kind: string; status: string; count: number; createdAt: Date; attempts?: number },
): Promise<void> {
  await pool.query(
    `INSERT INTO "IngestionJob" (id, "organizationId", kind, status, attempts, "createdAt")
     SELECT 'job_' || md5(random()::text), $1, $2, $3, $4, $5 FROM generate_series(1, $6::int)`,
    // attempts counts starts: a job still waiting in the queue has had none, a running one its first.
    [j.org, j.kind, j.status, j.attempts ?? (j.status === 'QUEUED' ? 0 : 1), j.createdAt, j.count],
  );
}
