import { pathOf, type FastPath } from '../http/fast-path';
import type { ViewAnswer } from './answer';
import type { ViewChoice } from './choice';
import { BADGE_PREFIX, COMPONENT_BADGE, VIEW_ROUTES, type ViewRoute } from './view-routes';

/** A badge file name Express's router passes on as it is: no percent-encoding to decode, no further segment. */
const PLAIN_FILE = /^[^/%]+$/;

function routeOf(path: string): { route: ViewRoute; file: string } | null {
  const route = VIEW_ROUTES.get(path);
  if (route) return { route, file: '' };
  const file = path.startsWith(BADGE_PREFIX) ? path.slice(BADGE_PREFIX.length) : '';
  return PLAIN_FILE.test(file) ? { route: COMPONENT_BADGE, file } : null;
}

/**
 * `GET` of a status route whose view is at hand (public, no token) answered before Express, by the
 * same choice and answer as the Express route (status/routes.ts). A token, STATUS_PUBLIC=false (the
 * token resolver and its per-client failure limits need Express's `req.ip`), HEAD, an unknown badge
 * (a JSON 404) and any path Express would route only after normalizing it are left to Express.
 */
export function statusFastPath(choice: Pick<ViewChoice, 'atHand'>, answer: ViewAnswer): FastPath {
  return (req, res) => {
    if (req.method !== 'GET') return false;
    const target = routeOf(pathOf(req.url));
    if (!target) return false;
    const chosen = choice.atHand(req);
    return chosen !== null && answer(req, res, chosen, target.route, target.file);
  };
}
