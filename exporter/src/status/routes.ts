import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { errorBody, namePathParameter } from '../api/errors';
import type { Mount } from '../http/mounts';
import { activeStats } from '../monitors/stats';
import { prepareStatusModel, statusModelOf } from './model-cache';
import { componentBadge, indicatorBadge } from './badge';
import { renderAtomFeed } from './feed';
import { FindingIncidentTracker } from './findings';
import { renderStatusHtml } from './html';
import { STATUS_CSS } from './html-style';
import { IncidentTracker } from './incidents';
import { Rendered, type Body } from './rendered';
import { componentsJson, pageJson, statusJson, summaryJson, unresolvedJson } from './statuspage';
import { TenantViews } from './tenant-views';
import { buildStatusView, type PageInfo, type StatusView } from './view';
import { slicer } from '../util/time-slices';

const JSON_TYPE = 'application/json; charset=utf-8';
const json = (shape: (view: StatusView) => unknown) => (view: StatusView) => JSON.stringify(shape(view));
const FOLD_INTERVAL_MS = 5_000;

/**
 * Only `Authorization: Bearer <something>` asks for a token view. Another scheme (a proxy's Basic
 * credentials) or an empty `Bearer` (Grafana's proxy with no token saved) is no token at all.
 */
const presentsToken = (req: Request) => /^Bearer\s+\S/i.test(req.headers.authorization ?? '');

/** The view a request gets, and whether it is private to the token that asked for it. */
interface Chosen {
  rendered: Rendered;
  private: boolean;
}

export const mountStatus: Mount = (app, { getSnapshot, pool, settings, clock, resolvePrincipal }) => {
  const page: PageInfo = {
    id: settings.STATUS_PAGE_NAME,
    name: settings.STATUS_PAGE_NAME,
    url: settings.STATUS_PAGE_URL ?? '/status',
    createdAt: clock(),
  };
  const tracker = new IncidentTracker();
  const findingTracker = new FindingIncidentTracker();
  const tenantViews = new TenantViews({ pool, statementTimeoutMs: settings.STATEMENT_TIMEOUT_MS, page });
  let current: Rendered | null = null;

  const platformView = (): Rendered => {
    const snapshot = getSnapshot();
    if (!current?.isOf(snapshot)) {
      const model = statusModelOf(snapshot);
      tracker.update(model);
      findingTracker.update(snapshot);
      // Where self-monitoring runs, its open platform findings are the incidents; elsewhere, degraded components.
      const source = activeStats() ? findingTracker : tracker;
      const incidents = { unresolved: source.unresolved(), all: source.all() };
      current = new Rendered(snapshot, buildStatusView(snapshot, { page, model, incidents, history: snapshot.statusHistory }));
    }
    return current;
  };
  // Incidents start when the degradation is first seen, not when someone first opens the page. The
  // model is built in time slices first, so that this timer never holds a scrape up for long.
  setInterval(() => void prepareStatusModel(getSnapshot(), slicer()).then(() => platformView()), FOLD_INTERVAL_MS).unref();

  /**
   * Who is looking, from the token alone: no token → the public view (never a database query); an
   * OPERATOR token → the platform view; a tenant token → that tenant's view. A bad token is a 401 (the
   * resolver answers it), never the public view; with STATUS_PUBLIC=false so is no token. Null: answered.
   */
  const choose = async (req: Request, res: Response): Promise<Chosen | null> => {
    if (settings.STATUS_PUBLIC && !presentsToken(req)) return { rendered: platformView(), private: false };
    const principal = await resolvePrincipal(req, res);
    if (!principal) return null;
    if (principal.tenantId === null || principal.tenant === null) return { rendered: platformView(), private: true };
    return { rendered: await tenantViews.get(getSnapshot(), principal.tenantId, principal.tenant), private: true };
  };

  const styleHash = createHash('sha256').update(STATUS_CSS).digest('base64');
  const csp = `default-src 'none'; style-src 'sha256-${styleHash}'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors ${settings.STATUS_FRAME_ANCESTORS}`;

  const send = (req: Request, res: Response, chosen: Chosen, body: Body, cors: boolean) => {
    res.setHeader('Content-Security-Policy', csp);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // A token's view may be kept by the browser that asked, never by a shared cache or another origin's script.
    res.setHeader('Cache-Control', chosen.private ? 'private, no-cache' : 'no-cache');
    res.setHeader('ETag', body.etag);
    res.setHeader('Last-Modified', new Date(chosen.rendered.takenAt).toUTCString());
    if (cors && !chosen.private) res.setHeader('Access-Control-Allow-Origin', '*');
    const match = req.headers['if-none-match'];
    if (match && match.split(',').some((tag) => tag.trim().replace(/^W\//, '') === body.etag)) {
      res.status(304).end();
      return;
    }
    res.setHeader('Content-Type', body.type);
    res.end(body.bytes);
  };
  const handle = (answer: (req: Request, res: Response, chosen: Chosen) => void) => async (req: Request, res: Response) => {
    // The same URL answers differently with a token: any cache must key on it.
    res.setHeader('Vary', 'Authorization');
    const chosen = await choose(req, res);
    if (chosen) answer(req, res, chosen);
  };
  const route = (paths: string[], key: string, type: string, render: (view: StatusView) => string, cors = false) => {
    for (const path of paths)
      app.get(
        path,
        handle((req, res, chosen) => send(req, res, chosen, chosen.rendered.get(key, type, render), cors)),
      );
  };

  route(['/status'], 'html', 'text/html; charset=utf-8', renderStatusHtml);
  route(['/status.json', '/api/v2/summary.json'], 'summary', JSON_TYPE, json(summaryJson), true);
  route(['/api/v2/status.json'], 'status', JSON_TYPE, json(statusJson), true);
  route(
    ['/api/v2/components.json'],
    'components',
    JSON_TYPE,
    json((v) => ({ page: pageJson(v), components: componentsJson(v) })),
    true,
  );
  route(['/api/v2/incidents/unresolved.json'], 'unresolved', JSON_TYPE, json(unresolvedJson), true);
  route(['/status/feed.atom'], 'feed', 'application/atom+xml; charset=utf-8', renderAtomFeed, true);
  route(['/status/badge.svg'], 'badge', 'image/svg+xml', (v) => indicatorBadge(v.page.name, v.model.indicator, v.model.description), true);
  namePathParameter(app, '/status/badge/', 'file');
  app.get(
    '/status/badge/:file',
    handle((req, res, chosen) => {
      const file = String(req.params.file);
      const id = file.replace(/\.svg$/, '');
      const all = chosen.rendered.view.model.groups.flatMap((g) => [{ id: g.id, name: g.name, status: g.status }, ...g.components]);
      const target = file.endsWith('.svg') ? all.find((c) => c.id === id) : undefined;
      if (!target) {
        res.status(404).json(errorBody('not_found', `no status component ${id}; ids are listed in /api/v2/components.json`));
        return;
      }
      send(
        req,
        res,
        chosen,
        chosen.rendered.get(`badge:${id}`, 'image/svg+xml', () => componentBadge(target.name, target.status)),
        true,
      );
    }),
  );
};
