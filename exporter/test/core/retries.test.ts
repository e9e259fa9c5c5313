import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { insertDestination, insertJobs, insertTenant } from '../helpers/fixtures';
import { testCollector } from '../helpers/snapshot';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const ago = (minutes: number) => new Date(NOW - minutes * 60_000);

/** `attempts` counts starts (docs/metrics.md, Retries): what is a retry follows from that, for jobs and deliveries alike. */
describe('retry semantics', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('a job re-queued after one failed start is retrying; a running job from its second start on', async () => {
    const org = await insertTenant(db.pool, 'acme');
    const job = (status: string, attempts: number, count: number) =>
      insertJobs(db.pool, { org, kind: 'events', status, count, createdAt: ago(5), attempts });
    await job('QUEUED', 0, 4); // waiting for a first start
    await job('QUEUED', 1, 3); // failed once, queued again
    await job('QUEUED', 4, 1);
    await job('RUNNING', 1, 2); // first start
    await job('RUNNING', 2, 5); // second start
    await job('DEAD', 5, 1);
    const [queue] = (await testCollector(db.pool, { clock: () => NOW }).refresh()).ingestion;
    expect(queue).toMatchObject({ queued: 8, running: 7, retrying: 3 + 1 + 5, dead: 1 });
  });

  it('a delivery waits for its first attempt (pending) or has failed and waits again (retrying), whatever status the worker gives it', async () => {
    const org = await insertTenant(db.pool, 'globex');
    await insertDestination(db.pool, { id: 'd1', org, kind: 'WEBHOOK', ok: 1, fail: 1, lastDeliveryAt: ago(1) });
    const delivery = (id: string, status: string, attempts: number) =>
      db.pool.query(`INSERT INTO "SiemDelivery" (id, "destinationId", status, attempts, "createdAt") VALUES ($1, 'd1', $2, $3, $4)`, [
        id,
        status,
        attempts,
        ago(3),
      ]);
    await delivery('first', 'PENDING', 0);
    await delivery('requeued', 'PENDING', 1);
    await delivery('retrying', 'RETRYING', 2);
    await delivery('dead', 'DEAD_LETTER', 5);
    await delivery('done', 'DELIVERED', 1);
    const destination = (await testCollector(db.pool, { clock: () => NOW }).refresh()).siemDestinations.find((d) => d.id === 'd1');
    expect(destination).toMatchObject({ pending: 1, retrying: 2, deadLetters: 1 });
  });
});
