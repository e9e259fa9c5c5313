import type { Request, Response } from 'express';
import { errorBody, namePathParameter } from '../api/errors';
import type { Mount } from '../http/mount';
import { STATUS_VARY, viewAnswer } from './answer';
import { viewChoice } from './choice';
import { statusFastPath } from './fast-path';
import { PlatformStatusView } from './platform-view';
import { statusRefresh } from './refresh';
import { TenantViews } from './tenant-views';
import type { PageInfo } from './view';
import { BADGE_PREFIX, COMPONENT_BADGE, VIEW_ROUTES, type ViewRoute } from './view-routes';

export const mountStatus: Mount = (app, { getSnapshot, pool, settings, clock, resolvePrincipal, background, fastPath }) => {
  const page: PageInfo = {
    id: settings.STATUS_PAGE_NAME,
    name: settings.STATUS_PAGE_NAME,
    url: settings.STATUS_PAGE_URL ?? '/status',
    createdAt: clock(),
  };
  const tenantViews = new TenantViews({ pool, statementTimeoutMs: settings.STATEMENT_TIMEOUT_MS, page });
  const platform = new PlatformStatusView(page);
  background(statusRefresh(getSnapshot, platform));

  const choice = viewChoice({
    statusPublic: settings.STATUS_PUBLIC,
    platformView: () => platform.of(getSnapshot()),
    tenantView: (tenantId, slug) => tenantViews.get(getSnapshot(), tenantId, slug),
    resolvePrincipal,
  });
  const answer = viewAnswer(settings.STATUS_FRAME_ANCESTORS);

  const handle = (route: ViewRoute) => async (req: Request, res: Response) => {
    // Before the token is resolved, so that the resolver's refusals carry it too (`answer` sets it again).
    res.setHeader('Vary', STATUS_VARY);
    const chosen = await choice.choose(req, res);
    if (!chosen) return;
    const file = String(req.params.file ?? '');
    if (answer(req, res, chosen, route, file)) return;
    const id = file.replace(/\.svg$/, '');
    res.status(404).json(errorBody('not_found', `no status component ${id}; ids are listed in /api/v2/components.json`));
  };
  for (const [path, route] of VIEW_ROUTES) app.get(path, handle(route));
  namePathParameter(app, BADGE_PREFIX, 'file');
  app.get(`${BADGE_PREFIX}:file`, handle(COMPONENT_BADGE));
  // Public GETs are answered before Express by the same choice and answer (status/fast-path.ts).
  fastPath(statusFastPath(choice, answer));
};
