import type pg from 'pg';
import { LeaderLock } from '../../src/background/leader-lock';
import { createPool } from '../../src/db/pool';
import { createEmptyDatabase, type TestDatabase } from '../helpers/database';
import { waitFor } from '../helpers/processes';

const KEY = '4242424242';
let db: TestDatabase;
const pools: pg.Pool[] = [];
const locks: LeaderLock[] = [];

/** One replica's lock: its own pool, so its own sessions, as another exporter process would have. */
function replica(): LeaderLock {
  const pool = createPool(db.url, { max: 2 });
  pools.push(pool);
  const lock = new LeaderLock(pool, { key: KEY, role: 'test' });
  locks.push(lock);
  return lock;
}

const backendPid = async (client: pg.PoolClient) => (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;

beforeEach(async () => {
  db = await createEmptyDatabase();
});
afterEach(async () => {
  // A pool only ends once its clients are back: a failed expectation must not leave the lock's out.
  for (const lock of locks.splice(0)) await lock.release();
  for (const pool of pools.splice(0)) await pool.end().catch(() => undefined);
  await db.drop();
});

it('two instances on one database: exactly one leads, and keeps leading on every try', async () => {
  const a = replica();
  const b = replica();
  for (let i = 0; i < 3; i++) {
    const [ca, cb] = await Promise.all([a.acquire(), b.acquire()]);
    expect([ca, cb].filter((c) => c !== null)).toHaveLength(1);
    expect([a.leading, b.leading].filter(Boolean)).toHaveLength(1);
  }
  const leader = a.leading ? a : b;
  expect(leader.term).toBe(1); // kept, not won again
  await a.release();
  await b.release();
});

it('when the leader session is terminated, the other takes over and the old leader knows it no longer leads', async () => {
  const a = replica();
  const b = replica();
  const held = await a.acquire();
  expect(held).not.toBeNull();
  expect(await b.acquire()).toBeNull();

  await db.pool.query('SELECT pg_terminate_backend($1)', [await backendPid(held!)]);
  const taken = await waitFor('the other replica to take the lock', async () => (await b.acquire()) ?? undefined, 10_000);
  expect(taken).not.toBeNull();
  expect(await a.acquire()).toBeNull();
  expect(a.leading).toBe(false);
  expect(b.leading).toBe(true);
  await b.release();
});

it('a leader whose session lost the lock while staying connected notices at its next try', async () => {
  const a = replica();
  const b = replica();
  const held = await a.acquire();
  expect(held).not.toBeNull();
  // What a connection pooler's DISCARD ALL or a stray unlock does: the session lives on, the lock is gone.
  await held!.query('SELECT pg_advisory_unlock_all()');
  expect(await b.acquire()).not.toBeNull();
  expect(await a.acquire()).toBeNull();
  expect(a.leading).toBe(false);
  await b.release();
});

it('an error in the leader work is not a lost lock: the leader keeps its session and its lock', async () => {
  const a = replica();
  const b = replica();
  const held = await a.acquire();
  await expect(held!.query('SELECT 1 / 0')).rejects.toThrow(/division by zero/);
  expect(await a.acquire()).toBe(held);
  expect(a.term).toBe(1);
  expect(await b.acquire()).toBeNull();
  await a.release();
});

it('release() hands the lock over at once, and drop() too (by closing the session)', async () => {
  const a = replica();
  const b = replica();
  expect(await a.acquire()).not.toBeNull();
  await a.release();
  expect(a.leading).toBe(false);
  expect(await b.acquire()).not.toBeNull();
  b.drop('test');
  expect(await waitFor('the lock after drop', async () => (await a.acquire()) ?? undefined, 10_000)).not.toBeNull();
  expect(a.term).toBe(2);
  await a.release();
});
