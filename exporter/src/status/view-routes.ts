import { componentBadge, indicatorBadge } from './badge';
import { renderAtomFeed } from './feed';
import { renderStatusHtml } from './html';
import type { Body, Rendered } from './rendered';
import { componentsJson, pageJson, statusJson, summaryJson, unresolvedJson } from './statuspage';
import type { StatusView } from './view';

/** A route whose answer is one cached body of the request's view (rendered once per snapshot). */
export interface ViewRoute {
  /** Whether the public view may be read by another origin's script (the Statuspage API, the feed, badges). */
  cors: boolean;
  /** The body in `rendered`, or null where that view has none (a badge of an unknown component); `file` is the badge's path parameter. */
  body(rendered: Rendered, file: string): Body | null;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const json = (shape: (view: StatusView) => unknown) => (view: StatusView) => JSON.stringify(shape(view));

const cached = (key: string, type: string, render: (view: StatusView) => string, cors: boolean): ViewRoute => ({
  cors,
  body: (rendered) => rendered.get(key, type, render),
});

const SUMMARY = cached('summary', JSON_TYPE, json(summaryJson), true);

/** The routes of a fixed path, by path. */
export const VIEW_ROUTES: ReadonlyMap<string, ViewRoute> = new Map([
  ['/status', cached('html', 'text/html; charset=utf-8', renderStatusHtml, false)],
  ['/status.json', SUMMARY],
  ['/api/v2/summary.json', SUMMARY],
  ['/api/v2/status.json', cached('status', JSON_TYPE, json(statusJson), true)],
  [
    '/api/v2/components.json',
    cached(
      'components',
      JSON_TYPE,
      json((v) => ({ page: pageJson(v), components: componentsJson(v) })),
      true,
    ),
  ],
  ['/api/v2/incidents/unresolved.json', cached('unresolved', JSON_TYPE, json(unresolvedJson), true)],
  ['/status/feed.atom', cached('feed', 'application/atom+xml; charset=utf-8', renderAtomFeed, true)],
  ['/status/badge.svg', cached('badge', 'image/svg+xml', (v) => indicatorBadge(v.page.name, v.model.indicator, v.model.description), true)],
]);

/** `/status/badge/<file>`: `<id>.svg` is the badge of the component or group `<id>`. */
export const BADGE_PREFIX = '/status/badge/';

export const COMPONENT_BADGE: ViewRoute = {
  cors: true,
  body: (rendered, file) => {
    const id = file.replace(/\.svg$/, '');
    const all = rendered.view.model.groups.flatMap((g) => [{ id: g.id, name: g.name, status: g.status }, ...g.components]);
    const target = file.endsWith('.svg') ? all.find((c) => c.id === id) : undefined;
    return target ? rendered.get(`badge:${id}`, 'image/svg+xml', () => componentBadge(target.name, target.status)) : null;
  },
};
