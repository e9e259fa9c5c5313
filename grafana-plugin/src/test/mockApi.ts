import { http, HttpResponse, type JsonBodyType } from 'msw';
import { setupServer } from 'msw/node';
import { PLUGIN_ID } from '../constants';
import pluginJson from '../plugin.json';
import type { Role, RuleRun } from '../api/types';
import { contractProblems, undeclaredParameters } from './contract';
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
  token: { role: 'ADMIN', tenant: 'acme' },
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
// Grafana's proxy enforces each route's reqRole as plugin.json declares it: read from there, not copied.
const ROUTE_ROLE: Array<[string, GrafanaRole]> = pluginJson.routes.map((r) => [r.path, r.reqRole as GrafanaRole]);

/** Answers that broke the exporter's documented contract; jest-setup fails the test that produced one. */
export const contractViolations: string[] = [];

/** A JSON answer of the exporter at `path` (as under /api), checked against its OpenAPI document first. */
function answer(path: string, body: JsonBodyType, status = 200) {
  // /status.json documents only its 200 body (the Statuspage shape).
  if (path !== '/status.json' || status === 200) {
    contractViolations.push(...contractProblems(path, status, body));
  }
  return HttpResponse.json(body, { status });
}

let currentPath = '';
const error = (status: number, code: string, message: string, field?: string) =>
  answer(currentPath, { error: { code, message, field: field ?? null } }, status);

const encodeCursor = (offset: number, filters: string) =>
  Buffer.from(JSON.stringify({ o: offset, f: filters })).toString('base64url');
const decodeCursor = (cursor: string) =>
  JSON.parse(Buffer.from(cursor, 'base64url').toString()) as { o: number; f: string };

function ruleRuns(url: URL) {
  const q = url.searchParams;
  const scope = world.token!.tenant;
  if (scope && q.get('tenant') && q.get('tenant') !== scope) {
    return error(403, 'forbidden', `this token may read only tenant ${scope}`, 'tenant');
  }
  const tenant = scope ?? q.get('tenant');
  const filterKey = [...q.entries()]
    .filter(([k]) => k !== 'cursor' && k !== 'limit')
    .map(([k, v]) => `${k}=${v}`)
    .sort()
    .join('&');
  const statuses = q.get('status')?.split(',');
  const triggers = q.get('trigger')?.split(',');
  const rows = world.ruleRuns.filter(
    (r) =>
      (!tenant || r.tenant === tenant) &&
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
  return answer('/v1/rule-runs', {
    data,
    page: { limit, count: data.length, hasMore, mode: 'page' },
    window: { from: '2026-11-25T12:00:00.000Z', to: '2026-11-26T12:00:00.000Z' },
    order: 'startedAt desc, id desc',
    links: { next: hasMore ? link(offset + limit) : null, poll: link(rows.length) },
    tenant,
    dataRetentionDays: tenant ? 30 : null,
  });
}

function exporter(route: string, rest: string, url: URL) {
  if (route === 'status') {
    return answer('/status.json', world.status);
  }
  const unknown = undeclaredParameters(currentPath, url.searchParams);
  if (unknown.length) {
    return error(400, 'unknown_parameter', `unknown parameter ${unknown[0]}`, unknown[0]);
  }
  if (!world.token) {
    return error(401, 'invalid_token', 'the token is unknown or revoked');
  }
  if (route === 'whoami') {
    return answer(currentPath, {
      tokenId: 'tok_0123456789abcdef',
      name: 'acme grafana',
      role: world.token.role,
      tenant: world.token.tenant,
      dataRetentionDays: world.token.tenant ? 30 : null,
    });
  }
  if (route === 'health') {
    if (world.token.role === 'SECURITY_ANALYST') {
      return error(403, 'forbidden', 'role SECURITY_ANALYST may not use /api/v1/health');
    }
    const meta = fixtures.snapshotMeta(world.token.tenant);
    if (rest === 'connectors') {
      return answer(currentPath, { ...meta, data: world.connectors });
    }
    if (rest === 'siem') {
      return answer(currentPath, { ...meta, data: world.siem });
    }
    if (rest === 'ingestion') {
      return answer(currentPath, world.ingestion);
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
    return run
      ? answer(currentPath, { data: run, dataRetentionDays: 30 })
      : error(404, 'not_found', `no rule run ${rest}`);
  }
  return error(404, 'not_found', `no route ${route}/${rest}`);
}

const proxy = http.all(`*/api/plugin-proxy/${PLUGIN_ID}/*`, ({ request }) => {
  const url = new URL(request.url);
  world.requests.push(url);
  const [route, ...restParts] = url.pathname.split(`/api/plugin-proxy/${PLUGIN_ID}/`)[1].split('/');
  currentPath =
    route === 'status' ? '/status.json' : `/v1/${route}${restParts.length ? `/${restParts.join('/')}` : ''}`;
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
