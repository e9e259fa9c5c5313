/**
 * The status page's routes, written here independently of the router (a route the router drops must
 * fail the tests that ask for it): the page, its JSON, the Statuspage v2 API, the feed and the badge.
 */
export const STATUS_ROUTES = [
  '/status',
  '/status.json',
  '/api/v2/summary.json',
  '/api/v2/status.json',
  '/api/v2/components.json',
  '/api/v2/incidents/unresolved.json',
  '/status/feed.atom',
  '/status/badge.svg',
] as const;
