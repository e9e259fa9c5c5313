import { mountStatus } from '../../src/status/routes';
import { PlatformStatusView } from '../../src/status/platform-view';
import { statusRefresh, STATUS_REFRESH_INTERVAL_MS } from '../../src/status/refresh';
import type { Mount } from '../../src/http/mount';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startTestExporter } from '../helpers/exporter';
import { insertConnector, insertTenant } from '../helpers/fixtures';
import { waitFor } from '../helpers/processes';
import { testCollector } from '../helpers/snapshot';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Timers that keep the process alive (unref'd ones are not listed). */
const refTimers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  const org = await insertTenant(db.pool, 'acme');
  await insertConnector(db.pool, { id: 'conn_acme_okta', org, provider: 'okta', lastSyncAt: new Date() });
});
afterAll(async () => {
  await db.drop();
});

describe('the status refresh', () => {
  it('builds the platform view of each new snapshot without a request, and nothing more once stopped', async () => {
    const collector = testCollector(db.pool);
    const view = new PlatformStatusView({ id: 'status', name: 'Status', url: '/status', createdAt: Date.now() });
    const refresh = statusRefresh(() => collector.snapshot, view, 20);
    await collector.refresh();
    refresh.start();
    await waitFor('the view of the first snapshot', async () => (view.latest?.isOf(collector.snapshot) ? true : undefined), 10_000);

    await collector.refresh();
    const second = collector.snapshot;
    await waitFor('the view of the next snapshot', async () => (view.latest?.isOf(second) ? true : undefined), 10_000);
    expect(view.latest?.view.model.groups.length).toBeGreaterThan(0);

    await refresh.stop();
    await collector.refresh();
    await sleep(200); // ten intervals
    expect(view.latest?.isOf(second)).toBe(true);
    expect(view.latest?.isOf(collector.snapshot)).toBe(false);
    await collector.stop();
  });

  it("runs in the exporter without a request, and the exporter's stop() ends it with every other loop", async () => {
    let steps = 0;
    // The status routes as mounted by the exporter, with the snapshot reads of their refresh counted (no request is made).
    const counted: Mount = (app, deps) =>
      mountStatus(app, {
        ...deps,
        getSnapshot: () => {
          steps++;
          return deps.getSnapshot();
        },
      });
    const timersBefore = refTimers();
    const exporter = await startTestExporter(db.url, { LOG_LEVEL: 'silent' }, { mounts: [counted] });
    await waitFor('a status refresh', async () => (steps > 0 ? true : undefined), 3 * STATUS_REFRESH_INTERVAL_MS);

    await exporter.stop();
    const stepsAtStop = steps;
    await sleep(STATUS_REFRESH_INTERVAL_MS + 1_000);
    expect(steps).toBe(stepsAtStop);
    expect(refTimers()).toBeLessThanOrEqual(timersBefore);
  }, 30_000);
});
