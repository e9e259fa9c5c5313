import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { Exporter } from '../../src/server/start';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startTestExporter } from '../helpers/exporter';
import { parseExposition, series } from '../helpers/exposition';
import { describeWithTool } from '../helpers/tools';
import { SECRET_NAMES, seedOutage } from './seed';
import { incidentSchema, pageSchema, statusSchema, summarySchema } from './statuspage-schema';
import { STATUS_ROUTES } from './routes-list';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('status page JSON, badges and feed from a seeded outage', () => {
  let db: TestDatabase;
  let exporter: Exporter;
  let dir: string;
  const now = Date.now();
  const get = async (p: string) => fetch(`${exporter.url}${p}`);
  const getJson = async (p: string): Promise<Json> => (await get(p)).json() as Promise<Json>;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedOutage(db.pool, now);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aperio-status-'));
    const file = path.join(dir, 'maintenance.yaml');
    fs.writeFileSync(
      file,
      [
        'maintenances:',
        '  - id: queue-migration',
        '    name: Ingestion queue migration',
        '    body: Jobs are accepted and processed after the migration.',
        `    starts_at: ${new Date(now - 3600_000).toISOString()}`,
        `    ends_at: ${new Date(now + 3600_000).toISOString()}`,
        '    components: [ingestion-queue]',
        '  - id: db-upgrade',
        '    name: Database upgrade',
        `    starts_at: ${new Date(now + 86400_000).toISOString()}`,
        `    ends_at: ${new Date(now + 90000_000).toISOString()}`,
        '    components: [platform]',
      ].join('\n'),
    );
    exporter = await startTestExporter(db.url, { LOG_LEVEL: 'silent', STATUS_MAINTENANCE_FILE: file, STATUS_PAGE_NAME: 'Aperio Test' });
  });
  afterAll(async () => {
    await exporter?.stop();
    await db?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves the Statuspage v2 summary shape with a proper group structure', async () => {
    const res = await get('/status.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const summary = (await res.json()) as Json;
    const ajv = addFormats(new Ajv({ allErrors: true }));
    expect(ajv.validate(summarySchema, summary) ? [] : ajv.errors).toEqual([]);

    const components = summary.components as Json[];
    const byId = new Map(components.map((c) => [c.id as string, c]));
    const groups = components.filter((c) => c.group);
    expect(groups.map((g) => g.name)).toEqual(['Connectors', 'SIEM delivery', 'Detection', 'Platform']);
    for (const g of groups) {
      expect(g.group_id).toBeNull();
      expect(g.components.length).toBeGreaterThan(0);
      for (const id of g.components) expect(byId.get(id)).toMatchObject({ group: false, group_id: g.id });
    }
    for (const c of components.filter((x) => !x.group)) expect(groups.some((g) => g.components.includes(c.id))).toBe(true);
    expect(new Set(components.map((c) => c.position)).size).toBe(components.length);
    expect(byId.get('connectors')!.components).toEqual(['connector-github', 'connector-okta']);
    expect(byId.get('siem')!.components).toEqual(['siem-splunk_hec', 'siem-webhook']);

    const aliases = await getJson('/api/v2/summary.json');
    expect(aliases.status).toEqual(summary.status);
  });

  it('gives the documented statuses: all okta connections stale → partial_outage, a dead-lettering webhook → major_outage, indicator critical', async () => {
    const summary = await getJson('/status.json');
    const status = (id: string) => (summary.components as Json[]).find((c) => c.id === id)!.status;
    expect(status('connector-okta')).toBe('partial_outage');
    expect(status('connector-github')).toBe('operational');
    expect(status('siem-webhook')).toBe('major_outage');
    expect(status('siem-splunk_hec')).toBe('operational');
    expect(status('siem')).toBe('major_outage');
    expect(status('connectors')).toBe('partial_outage');
    expect(summary.status).toEqual({ indicator: 'critical', description: 'Major Service Outage' });

    const okta = (summary.components as Json[]).find((c) => c.id === 'connector-okta')!;
    expect(okta.aperio_reasons).toEqual(['2 of 2 connections stale']);
    expect(okta.aperio_uptime_days).toHaveLength(90);
    const threeDaysAgo = new Date(Math.floor(now / 3600_000) * 3600_000 - 72 * 3600_000).toISOString().slice(0, 10);
    expect(okta.aperio_uptime_days.find((d: Json) => d.date === threeDaysAgo)).toEqual({
      date: threeDaysAgo,
      runs: 10,
      failures: 1,
      uptime: 0.9,
      status: 'degraded_performance',
    });
    const github = (summary.components as Json[]).find((c) => c.id === 'connector-github')!;
    expect(github.aperio_uptime_days.at(-1)).toMatchObject({ runs: 1, failures: 0, uptime: 1 });
    expect(summary.aperio_thresholds).toMatchObject({ consecutiveFailures: 3, failureRatioMinor: 0.1, queueWarnSeconds: 120 });
  });

  it('turns degraded components into unresolved incidents and maintenance windows into under_maintenance', async () => {
    const unresolved = await getJson('/api/v2/incidents/unresolved.json');
    const ajv = addFormats(new Ajv());
    expect(ajv.validate(pageSchema, unresolved.page)).toBe(true);
    for (const incident of unresolved.incidents) expect(ajv.validate(incidentSchema, incident) ? null : ajv.errors).toBeNull();
    const names = (unresolved.incidents as Json[]).map((i) => i.name);
    expect(names).toEqual(expect.arrayContaining(['Okta: partial outage', 'Webhook: major outage']));
    const webhook = (unresolved.incidents as Json[]).find((i) => i.name === 'Webhook: major outage')!;
    expect(webhook).toMatchObject({ status: 'investigating', impact: 'critical', resolved_at: null });
    expect(webhook.components.map((c: Json) => c.id)).toEqual(['siem-webhook']);
    const again = await getJson('/api/v2/incidents/unresolved.json');
    expect(again.incidents.map((i: Json) => i.id)).toEqual(unresolved.incidents.map((i: Json) => i.id));

    const summary = await getJson('/status.json');
    expect((summary.components as Json[]).find((c) => c.id === 'ingestion-queue')!.status).toBe('under_maintenance');
    expect(summary.scheduled_maintenances.map((m: Json) => [m.id, m.status])).toEqual([
      ['queue-migration', 'in_progress'],
      ['db-upgrade', 'scheduled'],
    ]);
    expect(summary.scheduled_maintenances[1].components.map((c: Json) => c.id)).toEqual(['ingestion-queue', 'data-freshness']);

    const status = await getJson('/api/v2/status.json');
    expect(ajv.validate(statusSchema, status.status)).toBe(true);
    const components = await getJson('/api/v2/components.json');
    expect(components.components).toEqual(summary.components);
  });

  it('answers from cached bytes with ETag and Last-Modified, and 304 on If-None-Match', async () => {
    const first = await get('/status.json');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"/);
    expect(first.headers.get('last-modified')).toBeTruthy();
    const second = await fetch(`${exporter.url}/status.json`, { headers: { 'If-None-Match': etag } });
    expect(second.status).toBe(304);
    const html = await get('/status');
    expect(html.headers.get('content-security-policy')).toMatch(/frame-ancestors \*$/);
  });

  it('serves SVG badges for the page and each component, and an Atom feed of incidents', async () => {
    const overall = await get('/status/badge.svg');
    expect(overall.headers.get('content-type')).toBe('image/svg+xml');
    expect(await overall.text()).toContain('major service outage');
    const webhook = await (await get('/status/badge/siem-webhook.svg')).text();
    expect(webhook).toMatch(/^<svg[^>]+aria-label="Webhook: major outage"/);
    expect((await get('/status/badge/nope.svg')).status).toBe(404);
    const feed = await get('/status/feed.atom');
    expect(feed.headers.get('content-type')).toMatch(/application\/atom\+xml/);
    const xml = await feed.text();
    expect(xml).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
    expect(xml).toContain('<title>Webhook: major outage</title>');
  });

  it('never shows a tenant or connector name in public output', async () => {
    const paths: string[] = [...STATUS_ROUTES];
    const summary = await getJson('/status.json');
    for (const c of summary.components as Json[]) paths.push(`/status/badge/${c.id}.svg`);
    for (const p of paths) {
      const body = (await (await get(p)).text()).toLowerCase();
      for (const secret of SECRET_NAMES) expect({ path: p, leaks: body.includes(secret) }).toEqual({ path: p, leaks: false });
      expect(body).not.toContain('of org_');
    }
  });

  it('exposes the same statuses as aperio_status_component and aperio_status_indicator state sets', async () => {
    const text = await (await get('/metrics')).text();
    const parsed = parseExposition(text);
    expect(parsed.get(series('aperio_status_component', { component: 'siem-webhook', group: 'siem', status: 'major_outage' }))).toBe(1);
    expect(parsed.get(series('aperio_status_component', { component: 'siem-webhook', group: 'siem', status: 'operational' }))).toBe(0);
    expect(
      parsed.get(series('aperio_status_component', { component: 'connector-okta', group: 'connectors', status: 'partial_outage' })),
    ).toBe(1);
    expect(
      parsed.get(series('aperio_status_component', { component: 'ingestion-queue', group: 'platform', status: 'under_maintenance' })),
    ).toBe(1);
    expect(parsed.get(series('aperio_status_indicator', { indicator: 'critical' }))).toBe(1);
    expect(parsed.get(series('aperio_status_indicator', { indicator: 'none' }))).toBe(0);
  });

  describeWithTool('promtool', 'promtool', (promtool) => {
    it('passes promtool check metrics with the status families', async () => {
      const text = await (await get('/metrics')).text();
      expect(text).toContain('# TYPE aperio_status_component gauge');
      const out = execFileSync(promtool, ['check', 'metrics'], { input: text, encoding: 'utf8' });
      expect(out.trim()).toBe('');
    });
  });
});
