import type pg from 'pg';
import { HOUR, NOW } from './clock';
import type { Comparison } from './compare';
import { atTenantDetail, detailRules } from './detail';
import { actualAudit, expectedAudit } from './expected-audit';
import { actualHealth, expectedHealthConnectors, expectedHealthIngestion, expectedHealthSiem } from './expected-health';
import { actualSchedules, expectedSchedules } from './expected-schedules';
import { actualStatusJson, expectedStatusJson } from './expected-status';
import { actualUptime, expectedUptime } from './expected-uptime';
import { compareMetrics, comparedSeries, expectedSeries, scrape, type Facts } from './metrics';

/**
 * Each surface's comparison, as one function per surface: the tests run them one by one, and the
 * count check runs them all to know how many values one full pass compares.
 */
export interface Context {
  pool: pg.Pool;
  url: string;
  facts: Facts;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  get(path: string, token?: string): Promise<{ status: number; body: any }>;
}

/** The audit window reaches back past every run; the schedules window is the API's default day. */
export const AUDIT_WINDOW = { from: new Date(NOW - 30 * 24 * HOUR), to: new Date(NOW) };
export const SCHEDULES_WINDOW = { from: new Date(NOW - 24 * HOUR), to: new Date(NOW) };
/** The health API states the lifetime success ratio to 4 decimals. */
export const RATIO_TOLERANCE: [RegExp, number][] = [[/\.successRatio\.lifetime$/, 0.00005]];

export async function checkMetrics(c: Context, comparison: Comparison) {
  const actual = await scrape(c.url);
  return { actual, expected: await compareMetrics(comparison, c.pool, c.facts, actual) };
}

export async function checkTenantDetail(c: Context, url: string, comparison: Comparison): Promise<void> {
  const actual = await scrape(url);
  comparison.maps(atTenantDetail(await expectedSeries(c.pool, c.facts, actual), detailRules()), comparedSeries(actual, c.facts));
}

/** `tenant`: what that tenant's token sees (its own items only); null: the OPERATOR's view of every tenant. */
export async function checkHealth(c: Context, comparison: Comparison, tenant: string | null = null, token?: string): Promise<void> {
  const mine = <T extends { tenant: string }>(list: T[]) => list.filter((item) => tenant === null || item.tenant === tenant);
  const [connectors, siem, ingestion] = await Promise.all(
    ['connectors', 'siem', 'ingestion'].map((p) => c.get(`/api/v1/health/${p}`, token)),
  );
  const expected = new Map([
    ...(await expectedHealthConnectors(c.pool, mine(c.facts.connectors))),
    ...expectedHealthSiem(mine(c.facts.destinations)),
    ...expectedHealthIngestion(mine(c.facts.queues)),
  ]);
  comparison.maps(expected, actualHealth(connectors.body, siem.body, ingestion.body));
}

export async function checkAudit(c: Context, comparison: Comparison, tenant: string | null = null, token?: string): Promise<void> {
  const { from, to } = AUDIT_WINDOW;
  for (const resource of ['rule-runs', 'connector-syncs'] as const) {
    const actual = await actualAudit((p) => c.get(p, token), resource, from, to);
    comparison.maps(await expectedAudit(c.pool, resource, from, to, tenant), actual);
  }
}

export async function checkSchedules(c: Context, comparison: Comparison, tenant: string | null = null, token?: string): Promise<number> {
  const { from, to } = SCHEDULES_WINDOW;
  const answer = await c.get(`/api/v1/schedules?from=${from.toISOString()}&to=${to.toISOString()}`, token);
  const jobs = c.facts.jobs.filter((job) => tenant === null || job.tenant === tenant);
  comparison.maps(await expectedSchedules(c.pool, jobs, from, to), actualSchedules(answer.body));
  return answer.status;
}

export async function checkStatusJson(c: Context, comparison: Comparison): Promise<void> {
  const body = await (await fetch(`${c.url}/status.json`)).json();
  comparison.maps(expectedStatusJson(c.facts.components), actualStatusJson(body, c.facts.components));
  comparison.maps(await expectedUptime(c.pool, c.facts.components), actualUptime(body));
}
