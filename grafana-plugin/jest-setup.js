import './.config/jest-setup';
import { contractViolations, resetWorld, server } from './src/test/mockApi';

// Pages call Grafana through @grafana/runtime; the mock sends those calls over fetch to the mock API
// server, so requests, status codes and bodies are exercised as in a browser.
jest.mock('@grafana/runtime', () => require('./src/test/runtimeMock').runtimeMock);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  const violations = contractViolations.splice(0);
  server.resetHandlers();
  resetWorld();
  // A mock answer the real exporter could not give makes the test that saw it fail.
  if (violations.length) {
    throw new Error(
      `the mock API answered outside the exporter's OpenAPI/Statuspage contract:\n${violations.join('\n')}`
    );
  }
});
afterAll(() => server.close());

// jsdom has no layout engine; Grafana's Drawer measures and watches its content with these observers.
class NoopObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
  takeRecords() {
    return [];
  }
}
global.ResizeObserver = NoopObserver;
global.IntersectionObserver = NoopObserver;
