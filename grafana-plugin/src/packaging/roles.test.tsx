import React from 'react';
import { screen, waitFor } from '@testing-library/react';
import type { AppRootProps, PluginType } from '@grafana/data';
import { App } from '../components/App/App';
import { testIds } from '../components/testIds';
import pluginJson from '../plugin.json';
import { setWorld, world } from '../test/mockApi';
import { renderAt } from '../test/render';
import type { AppSettings } from '../types';

// Roles and RBAC actions as plugin.json declares them: the pages Grafana shows in the nav, the proxy
// routes it guards, and the roles that grant the actions. The mock proxy enforces the same file.
type GrafanaRole = 'Viewer' | 'Editor' | 'Admin';
const RANK: Record<GrafanaRole, number> = { Viewer: 0, Editor: 1, Admin: 2 };
const pages = pluginJson.includes.filter((i) => i.type === 'page' && i.path.startsWith('/a/')) as Array<{
  name: string;
  path: string;
  role: GrafanaRole;
  action: string;
}>;
const routeOf = (path: string) => pluginJson.routes.find((r) => r.path === path)!;
const pageRoute = (page: { path: string }) => page.path.split('/').pop()!;
const WAIT = { timeout: 15000 };

const props = {
  basename: '/a/aperio-observability-app',
  meta: {
    id: pluginJson.id,
    type: 'app' as PluginType,
    jsonData: { url: 'http://exporter:9464' },
    secureJsonFields: { token: true },
  },
  query: {},
  path: '',
  onNavChanged: jest.fn(),
} as unknown as AppRootProps<AppSettings>;

describe('roles and RBAC actions in plugin.json', () => {
  it('gives every page and every route both a basic role and an RBAC action of this plugin', () => {
    for (const page of pages) {
      expect([page.name, page.role in RANK, page.action.startsWith(`${pluginJson.id}.`)]).toEqual([
        page.name,
        true,
        true,
      ]);
    }
    for (const route of pluginJson.routes) {
      expect([route.path, route.reqRole in RANK, route.reqAction.startsWith(`${pluginJson.id}.`)]).toEqual([
        route.path,
        true,
        true,
      ]);
    }
  });

  it('grants each action to the basic role that the pages and routes using it name', () => {
    const grants = Object.fromEntries(
      pluginJson.roles.flatMap((r) => r.role.permissions.map((p) => [p.action, r.grants]))
    );
    for (const item of [
      ...pages.map((p) => ({ role: p.role, action: p.action })),
      ...pluginJson.routes.map((r) => ({ role: r.reqRole, action: r.reqAction })),
    ]) {
      const granted = grants[item.action] as GrafanaRole[];
      expect([item.action, granted]).toEqual([item.action, expect.arrayContaining([item.role])]);
      expect(Math.min(...granted.map((g) => RANK[g]))).toBe(RANK[item.role as GrafanaRole]);
    }
  });

  it('lets a page call only routes its own role may use', () => {
    expect(RANK[routeOf('health').reqRole as GrafanaRole]).toBeLessThanOrEqual(
      RANK[pages.find((p) => pageRoute(p) === 'health')!.role]
    );
    expect(RANK[routeOf('rule-runs').reqRole as GrafanaRole]).toBeLessThanOrEqual(
      RANK[pages.find((p) => pageRoute(p) === 'audit')!.role]
    );
    expect(RANK[routeOf('status').reqRole as GrafanaRole]).toBeLessThanOrEqual(
      RANK[pages.find((p) => pageRoute(p) === 'status')!.role]
    );
  });

  const below = pages.filter((p) => RANK[p.role] > 0).map((p) => [p.name, p] as const);
  it.each(below)(
    '%s: a user one role below what plugin.json names is refused by the proxy and told why',
    async (_name, page) => {
      const lower = (Object.keys(RANK) as GrafanaRole[]).find((r) => RANK[r] === RANK[page.role] - 1)!;
      setWorld({ grafanaRole: lower });
      renderAt(<App {...props} />, `/${pageRoute(page)}?refresh=off`);
      await waitFor(
        () =>
          expect(screen.getAllByTestId(testIds.states.error)[0]).toHaveTextContent(
            'Your Grafana role may not open this view'
          ),
        WAIT
      );
    }
  );

  it.each(pages.map((p) => [p.name, p] as const))(
    '%s: a user with the role plugin.json names gets the data',
    async (_name, page) => {
      setWorld({ grafanaRole: page.role });
      renderAt(<App {...props} />, `/${pageRoute(page)}?refresh=off`);
      await waitFor(() => expect(world.requests.length).toBeGreaterThan(0), WAIT);
      await waitFor(() => expect(screen.queryByTestId(testIds.states.loading)).not.toBeInTheDocument(), WAIT);
      expect(screen.queryAllByTestId(testIds.states.error)).toEqual([]);
    }
  );
});
