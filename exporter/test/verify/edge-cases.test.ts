import { loadSettings } from '../../src/config/settings';
import { verifyOptions } from '../../src/verify/options';
import { formatReport } from '../../src/verify/report';
import { verify } from '../../src/verify/verify';
import { NOW } from '../differential/clock';
import { seedObjects } from '../differential/seed-objects';
import { seedRuns } from '../differential/seed-runs';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

/**
 * verify over the differential suite's database of edge cases (docs/verification.md): pruned history with
 * counts above 2^32, late runs, runs without a duration, cron and interval schedules with ties, every
 * delivery and job status. The exporter meets the definitions there, so verify must find nothing.
 */
describe('verify on the database of edge cases', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await seedObjects(db.pool);
    await seedRuns(db.pool);
  });
  afterAll(() => db.drop());

  it('compares every family and finds no difference', async () => {
    const result = await verify(db.pool, { ...verifyOptions(loadSettings({ DATABASE_URL: db.url })), clock: () => NOW });
    process.stdout.write(formatReport(result));
    expect(result.families.filter((f) => f.compared === 0).map((f) => f.family)).toEqual([]);
    expect(result.differences).toEqual([]);
  });
});
