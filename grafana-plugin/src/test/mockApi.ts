import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { PLUGIN_ID } from '../constants';
import type { Role, RuleRun } from '../api/types';
import * as fixtures from './fixtures';

type GrafanaRole = 'Viewer' | 'Editor' | 'Admin';

/**
 * What the Grafana plugin proxy and the exporter behind it would do, reduced to what the plugin can
 * observe: Grafana's reqRole check, an unreachable exporter (502), the exporter's token roles and its
 * error bodies, filters and cursor pages of the audit routes.
 */
export type World = {
  grafanaRole: GrafanaRole;
  token: { role: Role; tenant: string | null } | null;
  exporter: 'up' | 'down' | 'old' | 'broken';
  connectors: typeof fixtures.connectors;
  siem: typeof fixtures.siem;
  ingestion: typeof fixtures.ingestion;
  ruleRuns: RuleRun[];
  status: typeof fixtures.statusSummary;
  pageSize: number;
  requests: URL[];
};

const initialWorld = (): World => ({
  grafanaRole: 'Admin',
  token: { role: 'ADMIN', tenant: null },
  exporter: 'up',
  connectors: fixtures.connectors,
  siem: fixtures.siem,
  ingestion: fixtures.ingestion,
  ruleRuns: fixtures.ruleRuns,
  status: fixtures.statusSummary,
  pageSize: 50,
  requests: [],
});

export let world = initialWorld();
export const resetWorld = () => {
  world = initialWorld();
};
export const setWorld = (changes: Partial<World>) => Object.assign(world, changes);

const RANK: Record<GrafanaRole, number> = { Viewer: 0, Editor: 1, Admin: 2 };
const ROUTE_ROLE: Array<[string, GrafanaRole]> = [
  ['whoami', 'Viewer'],
  ['health', 'Admin'],
  ['rule-runs', 'Editor'],
  ['connector-syncs', 'Editor'],
  ['status', 'Viewer'],
];

const error = (status: number, code: string, message: string, field?: string) =>
  HttpResponse.json({ error: { code, message, field: field ?? null } }, { status });

const encodeCursor = (offset: number, filters: string) => Buffer.from(JSON.stringify({ o: offset, f: filters })).toString('base64url');
const decodeCursor = (cursor: string) => JSON.parse(Buffer.from(cursor, 'base64url').toString()) as { o: number; f: string };

const RUN_PARAMS = ['from', 'to', 'status', 'trigger', 'rule', 'minDurationMs', 'minFindings', 'limit', 'cursor', 'tenant', 'format'];

function ruleRuns(url: URL) {
  const q = url.searchParams;
  const unknown = [...q.keys()].find((k) => !RUN_PARAMS.includes(k));
  if (unknown) {
    return error(400, 'unknown_parameter', `unknown parameter ${unknown}`, unknown);
  }
  const filterKey = [...q.entries()].filter(([k]) => k !== 'cursor' && k !== 'limit').map(([k, v]) => `${k}=${v}`).sort().join('&');
  const statuses = q.get('status')?.split(',');
  const triggers = q.get('trigger')?.split(',');
  const rows = world.ruleRuns.filter(
    (r) =>
      (!statuses || statuses.includes(r.status)) &&
      (!triggers || triggers.includes(r.trigger)) &&
      (!q.get('rule') || r.ruleKey === q.get('rule') || r.ruleId === q.get('rule')) &&
      (r.durationMs ?? 0) >= Number(q.get('minDurationMs') ?? 0) &&
      (r.findingsOpened ?? 0) >= Number(q.get('minFindings') ?? 0)
  );
  let offset = 0;
  const cursor = q.get('cursor');
  if (cursor) {
    const decoded = decodeCursor(cursor);
    if (decoded.f !== filterKey) {
      return error(400, 'cursor_mismatch', 'the cursor was issued for other filters', 'cursor');
    }
    offset = decoded.o;
  }
  const limit = Number(q.get('limit') ?? world.pageSize);
  const data = rows.slice(offset, offset + limit);
  const hasMore = offset + limit < rows.length;
  const link = (next: number) => {
    const p = new URLSearchParams(q);
    p.set('cursor', encodeCursor(next, filterKey));
    return `/api/v1/rule-runs?${p.toString()}`;
  };
  return HttpResponse.json({
    data,
    page: { limit, count: data.length, hasMore, mode: 'page' },
    window: { from: '2026-11-25T12:00:00.000Z', to: '2026-11-26T12:00:00.000Z' },
    order: 'startedAt desc, id desc',
    links: { next: hasMore ? link(offset + limit) : null, poll: link(rows.length) },
    tenant: 'acme',
    dataRetentionDays: 30,
  });
}

function exporter(route: string, rest: string, url: URL) {
  if (route === 'status') {
    return HttpResponse.json(world.status);
  }
  if (!world.token) {
    return error(401, 'invalid_token', 'the token is unknown or revoked');
  }
  if (route === 'whoami') {
    return HttpResponse.json({ tokenId: 'tok_0123456789abcdef', name: 'acme grafana', role: world.token.role, tenant: world.token.tenant, dataRetentionDays: 30 });
  }
  if (route === 'health') {
    if (world.token.role === 'SECURITY_ANALYST') {
      return error(403, 'forbidden', 'role SECURITY_ANALYST may not use /api/v1/health');
    }
    const meta = fixtures.snapshotMeta(world.token.tenant);
    if (rest === 'connectors') {
      return HttpResponse.json({ ...meta, data: world.connectors });
    }
    if (rest === 'siem') {
      return HttpResponse.json({ ...meta, data: world.siem });
    }
    if (rest === 'ingestion') {
      return HttpResponse.json(world.ingestion);
    }
  }
  if (route === 'rule-runs') {
    if (rest === '') {
      return ruleRuns(url);
    }
    if (!/^\d+$/.test(rest)) {
      return error(400, 'invalid_parameter', 'id must be a number', 'id');
    }
    const run = world.ruleRuns.find((r) => r.id === rest);
    return run ? HttpResponse.json({ data: run, dataRetentionDays: 30 }) : error(404, 'not_found', `no rule run ${rest}`);
  }
  return error(404, 'not_found', `no route ${route}/${rest}`);
}

const proxy = http.all(`*/api/plugin-proxy/${PLUGIN_ID}/*`, ({ request }) => {
  const url = new URL(request.url);
  world.requests.push(url);
  const [route, ...restParts] = url.pathname.split(`/api/plugin-proxy/${PLUGIN_ID}/`)[1].split('/');
  const rule = ROUTE_ROLE.find(([path]) => path === route);
  if (!rule) {
    return HttpResponse.json({ message: 'plugin route not found' }, { status: 404 });
  }
  if (RANK[world.grafanaRole] < RANK[rule[1]]) {
    return HttpResponse.json({ message: 'plugin proxy route access denied' }, { status: 403 });
  }
  if (world.exporter === 'down') {
    return HttpResponse.json({ message: 'Bad Gateway' }, { status: 502 });
  }
  if (world.exporter === 'old' && route !== 'status') {
    return new HttpResponse('Cannot GET /api/v1/whoami', { status: 404, headers: { 'content-type': 'text/html' } });
  }
  if (world.exporter === 'broken') {
    return error(500, 'internal', 'database unavailable');
  }
  return exporter(route, restParts.join('/'), url);
});

const settings = http.post(`*/api/plugins/${PLUGIN_ID}/settings`, async ({ request }) => {
  world.requests.push(new URL(request.url));
  savedSettings.push(await request.json());
  return HttpResponse.json({ message: 'Plugin settings updated' });
});

export const savedSettings: unknown[] = [];

export const server = setupServer(proxy, settings);
