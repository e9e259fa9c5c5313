import './.config/jest-setup';
import { resetWorld, server } from './src/test/mockApi';

// Pages call Grafana through @grafana/runtime; the mock sends those calls over fetch to the mock API
// server, so requests, status codes and bodies are exercised as in a browser.
jest.mock('@grafana/runtime', () => require('./src/test/runtimeMock').runtimeMock);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  resetWorld();
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
