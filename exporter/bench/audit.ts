import http from 'node:http';
import type pg from 'pg';
import { createToken } from '../src/auth/tokens';
import { startBenchExporter } from './exporter';

/** Sequential requests timed per position (page 1, deep cursor). */
export const AUDIT_REQUESTS = 50;
const PAGE_LIMIT = 100;
const MAX_DEPTH_PAGES = 200;
const EXPORT_MAX_ROWS = 500_000;
const EXPORT_MAX_MS = 30_000;

export interface ListLatency {
  role: 'OPERATOR' | 'ADMIN';
  /** Rows before the deep page (pages followed × limit). */
  depthRows: number;
  firstP50Ms: number;
  firstP95Ms: number;
  deepP50Ms: number;
  deepP95Ms: number;
}

export interface ExportFigures {
  label: string;
  format: 'ndjson' | 'csv';
  rows: number;
  bytes: number;
  ms: number;
  /** Stopped at EXPORT_MAX_ROWS or EXPORT_MAX_MS rather than at the end of the data. */
  cut: boolean;
  rssBeforeMb: number;
  rssPeakMb: number;
  /** Peak RSS once half the rows were through: memory that stays flat grows no further after it. */
  rssHalfMb: number;
}

export interface AuditResult {
  tenant: string;
  tenantRows: number;
  allRows: number;
  lists: ListLatency[];
  exports: ExportFigures[];
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function get(url: string, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

async function getJson(url: string, token: string): Promise<{ links: { next: string | null }; page: { count: number } }> {
  const { status, body } = await get(url, token);
  if (status !== 200) throw new Error(`GET ${url} answered ${status}: ${body.slice(0, 300)}`);
  return JSON.parse(body) as { links: { next: string | null }; page: { count: number } };
}

/** p50 and p95 of `AUDIT_REQUESTS` sequential requests (after one untimed warm-up), full body received. */
async function timeRequests(url: string, token: string): Promise<{ p50: number; p95: number }> {
  await getJson(url, token);
  const latencies: number[] = [];
  for (let i = 0; i < AUDIT_REQUESTS; i++) {
    const started = performance.now();
    const { status } = await get(url, token);
    latencies.push(performance.now() - started);
    if (status !== 200) throw new Error(`GET ${url} answered ${status}`);
  }
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 0.5), p95: percentile(latencies, 0.95) };
}

/** Page 1, then follow links.next up to MAX_DEPTH_PAGES pages (or the last page there is) and time that page. */
async function listLatency(base: string, token: string, role: ListLatency['role'], query: string): Promise<ListLatency> {
  const first = `${base}/api/v1/rule-runs?${query}&limit=${PAGE_LIMIT}`;
  const firstTimes = await timeRequests(first, token);
  let deep = first;
  let pages = 0;
  for (let next = (await getJson(first, token)).links.next; next && pages < MAX_DEPTH_PAGES;) {
    deep = base + next;
    pages += 1;
    next = (await getJson(deep, token)).links.next;
  }
  const deepTimes = await timeRequests(deep, token);
  return {
    role,
    depthRows: pages * PAGE_LIMIT,
    firstP50Ms: firstTimes.p50,
    firstP95Ms: firstTimes.p95,
    deepP50Ms: deepTimes.p50,
    deepP95Ms: deepTimes.p95,
  };
}

/**
 * Streams an export, counting bytes and lines without keeping them, until the end or a bound; RSS of
 * this process (which is also the exporter's) is sampled every 20 ms.
 */
function timeExport(
  url: string,
  token: string,
  label: string,
  format: ExportFigures['format'],
  expectedRows: number,
): Promise<ExportFigures> {
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  let rssHalf = 0;
  const half = Math.min(expectedRows, EXPORT_MAX_ROWS) / 2;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 20);
  const started = performance.now();
  return new Promise<ExportFigures>((resolve, reject) => {
    let lines = 0;
    let bytes = 0;
    let cut = false;
    const finish = () => {
      clearInterval(sampler);
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
      resolve({
        label,
        format,
        rows: format === 'csv' ? Math.max(0, lines - 1) : lines,
        bytes,
        ms: performance.now() - started,
        cut,
        rssBeforeMb: rssBefore / 2 ** 20,
        rssPeakMb: rssPeak / 2 ** 20,
        rssHalfMb: (rssHalf || rssPeak) / 2 ** 20,
      });
    };
    // A fresh connection: destroying it at a bound must not take the keep-alive socket of the list requests.
    const req = http.get(url, { headers: { authorization: `Bearer ${token}` } }, (res) => {
      if (res.statusCode !== 200) {
        clearInterval(sampler);
        reject(new Error(`GET ${url} answered ${res.statusCode}`));
        res.resume();
        return;
      }
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines += 1;
        if (!rssHalf && lines >= half) rssHalf = Math.max(rssPeak, process.memoryUsage().rss);
        if (!cut && (lines >= EXPORT_MAX_ROWS || performance.now() - started >= EXPORT_MAX_MS)) {
          cut = true;
          req.destroy();
          finish();
        }
      });
      res.on('end', () => !cut && finish());
      res.on('error', (err) => !cut && reject(err));
    });
    req.on('error', (err) => !cut && reject(err));
  });
}

/**
 * A real exporter (every route mounted, collector timer parked) and two tokens: an OPERATOR and an ADMIN
 * of the tenant with the most RuleRun rows. Times the rule-run list at page 1 and at a deep cursor, then
 * exports that tenant's runs (and, as the OPERATOR, every tenant's, up to the bounds) in both formats.
 */
export async function measureAudit(benchPool: pg.Pool, databaseUrl: string, now: number, statementTimeoutMs: number): Promise<AuditResult> {
  const top = await benchPool.query<{ slug: string; n: number }>(
    `SELECT o.slug, r.n FROM (SELECT "organizationId", count(*)::int AS n FROM "RuleRun" GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1) r
       JOIN "Organization" o ON o.id = r."organizationId"`,
  );
  const all = await benchPool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "RuleRun"`);
  const tenant = top.rows[0].slug;
  const operator = await createToken(benchPool, { role: 'OPERATOR', name: 'bench operator' });
  const admin = await createToken(benchPool, { role: 'ADMIN', tenant, name: 'bench admin' });

  const exporter = await startBenchExporter(databaseUrl, statementTimeoutMs);
  exporter.collector.stop();
  try {
    // Wider than every tenant's retention and the whole seeded history.
    const window = `from=${encodeURIComponent(new Date(now - 100 * 86400_000).toISOString())}&to=${encodeURIComponent(new Date(now + 3600_000).toISOString())}`;
    const base = exporter.url;
    const lists = [
      await listLatency(base, operator.token, 'OPERATOR', `${window}&tenant=${tenant}`),
      await listLatency(base, admin.token, 'ADMIN', window),
    ];
    const exports: ExportFigures[] = [];
    for (const format of ['ndjson', 'csv'] as const) {
      exports.push(
        await timeExport(
          `${base}/api/v1/rule-runs/export?${window}&format=${format}`,
          admin.token,
          `${tenant} (ADMIN)`,
          format,
          top.rows[0].n,
        ),
      );
    }
    for (const format of ['ndjson', 'csv'] as const) {
      exports.push(
        await timeExport(
          `${base}/api/v1/rule-runs/export?${window}&format=${format}`,
          operator.token,
          'all tenants (OPERATOR)',
          format,
          all.rows[0].n,
        ),
      );
    }
    return { tenant, tenantRows: top.rows[0].n, allRows: all.rows[0].n, lists, exports };
  } finally {
    agent.destroy();
    await exporter.stop();
  }
}

export { EXPORT_MAX_MS, EXPORT_MAX_ROWS, PAGE_LIMIT, MAX_DEPTH_PAGES };
