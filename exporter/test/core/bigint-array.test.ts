import { parseBigintArray } from '../../src/db/pool';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

describe('bigint[] values read from PostgreSQL', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
  });
  afterAll(() => db.drop());

  it.each([
    ['{1,2,3}', [1, 2, 3]],
    ['{}', []],
    ['{0,NULL,-42}', [0, 0, -42]],
    ['{9007199254740991}', [Number.MAX_SAFE_INTEGER]],
    ['{NULL}', [0]],
  ])('%s arrives as numbers, NULL as 0', async (literal, expected) => {
    const { rows } = await db.pool.query<{ a: number[] }>('SELECT $1::bigint[] AS a', [literal]);
    expect(rows[0].a).toEqual(expected);
  });

  it('reads what the rollups store: cumulative counts built by ARRAY[count(*) FILTER ...]', async () => {
    const { rows } = await db.pool.query<{ a: number[] }>(
      `SELECT ARRAY[count(*) FILTER (WHERE x <= 2), count(*) FILTER (WHERE x <= 5), count(*)]::bigint[] AS a FROM generate_series(1, 10) x`,
    );
    expect(rows[0].a).toEqual([2, 5, 10]);
    expect(parseBigintArray('{12,345}')).toEqual([12, 345]);
  });
});
