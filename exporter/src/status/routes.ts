import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Mount } from '../http/mounts';
import type { Snapshot } from '../snapshot/types';
import { statusModelOf } from './active';
import { componentBadge, indicatorBadge } from './badge';
import { renderAtomFeed } from './feed';
import { renderStatusHtml } from './html';
import { STATUS_CSS } from './html-style';
import { activeStats } from '../monitors/stats';
import { FindingIncidentTracker } from './findings';
import { IncidentTracker } from './incidents';
import { componentsJson, pageJson, statusJson, summaryJson, unresolvedJson } from './statuspage';
import { buildStatusView, type PageInfo, type StatusView } from './view';

/**
 * Who is looking. Only the public, platform-wide view exists here; a tenant-token view (the API issue)
 * resolves a tenant scope from the request and builds its view from the same snapshot.
 */
export type StatusScope = { kind: 'public' };
export const resolveScope = (_req: Request): StatusScope => ({ kind: 'public' });

interface Body {
  bytes: Buffer;
  etag: string;
  type: string;
}

/** One snapshot's rendered answers: built on first use, then served as bytes until the next snapshot. */
class Rendered {
  private bodies = new Map<string, Body>();
  constructor(readonly snapshot: Snapshot, readonly view: StatusView) {}
  get(key: string, type: string, render: (view: StatusView) => string): Body {
    let body = this.bodies.get(key);
    if (!body) {
      const bytes = Buffer.from(render(this.view));
      body = { bytes, type, etag: `"${createHash('sha1').update(bytes).digest('base64url').slice(0, 22)}"` };
      this.bodies.set(key, body);
    }
    return body;
  }
}

const JSON_TYPE = 'application/json; charset=utf-8';
const json = (shape: (view: StatusView) => unknown) => (view: StatusView) => JSON.stringify(shape(view));
const FOLD_INTERVAL_MS = 5_000;

export const mountStatus: Mount = (app, { getSnapshot, settings, clock }) => {
  const page: PageInfo = { id: settings.STATUS_PAGE_NAME, name: settings.STATUS_PAGE_NAME, url: settings.STATUS_PAGE_URL ?? '/status', createdAt: clock() };
  const tracker = new IncidentTracker();
  const findingTracker = new FindingIncidentTracker();
  let current: Rendered | null = null;

  const rendered = (): Rendered => {
    const snapshot = getSnapshot();
    if (current?.snapshot !== snapshot) {
      const model = statusModelOf(snapshot);
      tracker.update(model);
      findingTracker.update(snapshot);
      // Where self-monitoring runs, its open platform findings are the incidents; elsewhere, degraded components.
      const source = activeStats() ? findingTracker : tracker;
      current = new Rendered(snapshot, buildStatusView(snapshot, snapshot.statusConfig, page, { unresolved: source.unresolved(), all: source.all() }, model));
    }
    return current;
  };
  // Incidents start when the degradation is first seen, not when someone first opens the page.
  setInterval(() => void rendered(), FOLD_INTERVAL_MS).unref();

  const styleHash = createHash('sha256').update(STATUS_CSS).digest('base64');
  const csp = `default-src 'none'; style-src 'sha256-${styleHash}'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors ${settings.STATUS_FRAME_ANCESTORS}`;

  const send = (req: Request, res: Response, r: Rendered, body: Body, cors: boolean) => {
    res.setHeader('Content-Security-Policy', csp);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('ETag', body.etag);
    res.setHeader('Last-Modified', new Date(r.snapshot.takenAt).toUTCString());
    if (cors) res.setHeader('Access-Control-Allow-Origin', '*');
    const match = req.headers['if-none-match'];
    if (match && match.split(',').some((tag) => tag.trim().replace(/^W\//, '') === body.etag)) {
      res.status(304).end();
      return;
    }
    res.setHeader('Content-Type', body.type);
    res.end(body.bytes);
  };
  const route = (paths: string[], key: string, type: string, render: (view: StatusView) => string, cors = false) => {
    for (const path of paths) {
      app.get(path, (req, res) => {
        resolveScope(req);
        const r = rendered();
        send(req, res, r, r.get(key, type, render), cors);
      });
    }
  };

  route(['/status'], 'html', 'text/html; charset=utf-8', renderStatusHtml);
  route(['/status.json', '/api/v2/summary.json'], 'summary', JSON_TYPE, json(summaryJson), true);
  route(['/api/v2/status.json'], 'status', JSON_TYPE, json(statusJson), true);
  route(['/api/v2/components.json'], 'components', JSON_TYPE, json((v) => ({ page: pageJson(v), components: componentsJson(v) })), true);
  route(['/api/v2/incidents/unresolved.json'], 'unresolved', JSON_TYPE, json(unresolvedJson), true);
  route(['/status/feed.atom'], 'feed', 'application/atom+xml; charset=utf-8', renderAtomFeed, true);
  route(['/status/badge.svg'], 'badge', 'image/svg+xml', (v) => indicatorBadge(v.page.name, v.model.indicator, v.model.description), true);
  app.get('/status/badge/:file', (req, res) => {
    const r = rendered();
    const id = String(req.params.file).replace(/\.svg$/, '');
    const all = r.view.model.groups.flatMap((g) => [{ id: g.id, name: g.name, status: g.status }, ...g.components]);
    const target = String(req.params.file).endsWith('.svg') ? all.find((c) => c.id === id) : undefined;
    if (!target) {
      res.status(404).json({ error: 'not_found', message: `no status component ${id}; ids are listed in /api/v2/components.json` });
      return;
    }
    send(req, res, r, r.get(`badge:${id}`, 'image/svg+xml', () => componentBadge(target.name, target.status)), true);
  });
};
