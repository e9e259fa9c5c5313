import React, { useEffect } from 'react';
import { render } from '@testing-library/react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom';
import { AppSettingsContext } from '../components/App/AppSettingsContext';

let currentLocation = '';

const LocationProbe = () => {
  const location = useLocation();
  useEffect(() => {
    currentLocation = `${location.pathname}${location.search}`;
  }, [location]);
  return null;
};

/** The current in-app URL, for asserting that filters live in it. */
export const location = () => currentLocation;
export const searchOf = () => new URLSearchParams(currentLocation.split('?')[1] ?? '');

export function renderAt(element: React.ReactElement, url: string, path = '*') {
  return render(
    <MemoryRouter initialEntries={[url]} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <Routes>
        <Route path={path} element={element} />
      </Routes>
      <LocationProbe />
    </MemoryRouter>
  );
}

/** The app's settings as a configured installation has them: the exporter's URL and a traces data source for trace links. */
export const CONFIGURED_SETTINGS = { url: 'http://exporter:9464', tracesDatasourceUid: 'tempo' };

/** `renderAt` inside the configured app settings. */
export function renderConfiguredAt(element: React.ReactElement, url: string, path = '*') {
  return renderAt(
    <AppSettingsContext.Provider value={CONFIGURED_SETTINGS}>{element}</AppSettingsContext.Provider>,
    url,
    path
  );
}
