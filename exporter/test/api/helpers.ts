import type pg from 'pg';
import { createToken, type Role } from '../../src/auth/tokens';
import { loadSettings } from '../../src/config/settings';
import { startExporter, type Exporter } from '../../src/server/start';

/** A real exporter on a free port, with every domain's routes, against a test database. */
export function startApiExporter(databaseUrl: string): Promise<Exporter> {
  const settings = loadSettings({
    DATABASE_URL: databaseUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    COLLECT_INTERVAL_SECONDS: '3600',
    LOG_LEVEL: 'silent',
  });
  return startExporter({ settings, databaseUrl });
}

export async function token(pool: pg.Pool, role: Role, tenant: string | null = null): Promise<string> {
  return (await createToken(pool, { role, tenant })).token;
}

/** One token of each kind the role tests need: the tenant's ADMIN and SECURITY_ANALYST, another tenant's ADMIN, an OPERATOR. */
export async function roleTokens(pool: pg.Pool, tenant: string, otherTenant: string) {
  return {
    admin: await token(pool, 'ADMIN', tenant),
    analyst: await token(pool, 'SECURITY_ANALYST', tenant),
    otherAdmin: await token(pool, 'ADMIN', otherTenant),
    operator: await token(pool, 'OPERATOR'),
  };
}

export interface Answer {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  headers: Headers;
  text: string;
}

/** GET with a bearer token; the body is parsed as JSON when it is JSON. */
export async function get(base: string, path: string, bearer?: string): Promise<Answer> {
  const res = await fetch(base + path, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });
  const text = await res.text();
  const json = (res.headers.get('content-type') ?? '').includes('application/json');
  return { status: res.status, body: json ? JSON.parse(text) : null, headers: res.headers, text };
}

/** Inserts `count` rule runs for a tenant in one statement, one every `stepMs` back from `newest`. */
export async function insertRuleRuns(
  pool: pg.Pool,
  r: { org: string; ruleId: string; count: number; newest: Date; stepMs: number; status?: string; durationMs?: number; findings?: number },
): Promise<void> {
  await pool.query(
    `INSERT INTO "RuleRun" ("organizationId", "ruleId", trigger, "startedAt", "finishedAt", "durationMs", status, "eventsEvaluated", "findingsOpened")
     SELECT $1, $2, 'SCHEDULE', $3::timestamptz - g * $4::int * interval '1 millisecond',
            $3::timestamptz - g * $4::int * interval '1 millisecond' + interval '1 second', $5::int, $6, g, $7::int
       FROM generate_series(0, $8::int - 1) g`,
    [r.org, r.ruleId, r.newest, r.stepMs, r.durationMs ?? 100, r.status ?? 'SUCCEEDED', r.findings ?? 0, r.count],
  );
}

export async function insertSyncRuns(
  pool: pg.Pool,
  s: { org: string; connectionId: string; provider: string; count: number; newest: Date; stepMs: number; status?: string },
): Promise<void> {
  await pool.query(
    `INSERT INTO "ConnectorSyncRun" ("organizationId", "connectionId", provider, trigger, "startedAt", "finishedAt", "durationMs", status, "recordsIngested")
     SELECT $1, $2, $3, 'SCHEDULE', $4::timestamptz - g * $5::int * interval '1 millisecond',
            $4::timestamptz - g * $5::int * interval '1 millisecond' + interval '2 seconds', 2000, $6, g * 10
       FROM generate_series(0, $7::int - 1) g`,
    [s.org, s.connectionId, s.provider, s.newest, s.stepMs, s.status ?? 'SUCCEEDED', s.count],
  );
}
