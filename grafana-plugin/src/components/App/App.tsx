import React, { Suspense, lazy } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import type { AppRootProps } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { ROUTES } from '../../constants';
import { TOKEN_FIELD, type AppSettings } from '../../types';
import { GettingStarted } from '../common/GettingStarted';
import { AppSettingsContext } from './AppSettingsContext';
import { PageErrorBoundary } from '../common/PageErrorBoundary';
import { Loading } from '../common/States';

const HealthPage = lazy(() => import('../../pages/Health/HealthPage').then((m) => ({ default: m.HealthPage })));
const RuleAuditPage = lazy(() =>
  import('../../pages/RuleAudit/RuleAuditPage').then((m) => ({ default: m.RuleAuditPage }))
);
const StatusPage = lazy(() => import('../../pages/Status/StatusPage').then((m) => ({ default: m.StatusPage })));

const NotConfigured = () => (
  <PluginPage>
    <GettingStarted />
  </PluginPage>
);

/**
 * Each page is gated on the settings it needs: status only needs the URL (without a token the exporter
 * shows its public view, with one the token's view), the rest a token too.
 */
const gate = (ready: boolean, page: React.ReactNode) => (
  <PageErrorBoundary>
    <Suspense fallback={<Loading what="the page" />}>{ready ? page : <NotConfigured />}</Suspense>
  </PageErrorBoundary>
);

export function App({ meta }: AppRootProps<AppSettings>) {
  const hasUrl = Boolean(meta.jsonData?.url);
  const hasToken = Boolean(meta.secureJsonFields?.[TOKEN_FIELD]);
  return (
    <AppSettingsContext.Provider value={meta.jsonData ?? {}}>
      <Routes>
        <Route path={ROUTES.Health} element={gate(hasUrl && hasToken, <HealthPage />)} />
        <Route path={ROUTES.Audit} element={gate(hasUrl && hasToken, <RuleAuditPage />)} />
        <Route path={ROUTES.Status} element={gate(hasUrl, <StatusPage />)} />
        <Route path="*" element={<Navigate to={ROUTES.Status} replace />} />
      </Routes>
    </AppSettingsContext.Provider>
  );
}
