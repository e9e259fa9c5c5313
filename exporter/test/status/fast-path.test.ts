import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type pg from 'pg';
import type { Mount } from '../../src/http/mount';
import { MOUNTS } from '../../src/http/mounts';
import type { Exporter } from '../../src/server/start';
import type { Snapshot } from '../../src/snapshot/types';
import { freePort } from '../../src/util/net';
import { token } from '../api/helpers';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startTestExporter } from '../helpers/exporter';
import { waitFor } from '../helpers/processes';
import { seedOutage } from './seed';
import { STATUS_ROUTES } from './routes-list';

/**
 * The server answers public status GETs before Express (status/fast-path.ts). Each answer must be the
 * one the Express app gives alone, byte for byte: the status, every header in its order (but Date, the
 * clock's), the body. The app alone is the exporter's own (the same views and snapshot), on a server of
 * its own; a mount counts the requests that reach it, to tell which answers the fast path gave.
 */

interface Answer {
  status: number;
  /** Name and value pairs as sent, Date left out. */
  headers: [string, string][];
  body: Buffer;
}

function request(url: string, headers: Record<string, string>, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    http
      .request(url, { method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const pairs: [string, string][] = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2) pairs.push([res.rawHeaders[i], res.rawHeaders[i + 1]]);
          resolve({
            status: res.statusCode ?? 0,
            headers: pairs.filter(([name]) => name.toLowerCase() !== 'date'),
            body: Buffer.concat(chunks),
          });
        });
      })
      .on('error', reject)
      .end();
  });
}

const header = (answer: Answer, name: string) => answer.headers.find(([n]) => n.toLowerCase() === name)?.[1];
const GZIP = { 'Accept-Encoding': 'gzip, deflate, br' };
const ROUTES = [...STATUS_ROUTES, '/status/badge/platform.svg'];

/** An exporter whose Express app is also served alone, and the count of requests that reached it. */
class Pair {
  private app: Express | null = null;
  private alone: http.Server | null = null;
  aloneUrl = '';
  expressRequests = 0;
  snapshot: (() => Snapshot) | null = null;
  readonly mounts: Mount[] = [
    (app, deps) => {
      this.app = app;
      this.snapshot = deps.getSnapshot;
      app.use((_req, _res, next) => {
        this.expressRequests += 1;
        next();
      });
    },
    ...MOUNTS,
  ];

  async serveAlone(): Promise<void> {
    const server = http.createServer(this.app!);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.alone = server;
    this.aloneUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** The same request to the exporter and to its app alone; `viaExpress`: whether the exporter's answer came from Express. */
  async both(serverUrl: string, path: string, headers: Record<string, string> = {}, method = 'GET') {
    const before = this.expressRequests;
    const server = await request(serverUrl + path, headers, method);
    const viaExpress = this.expressRequests > before;
    const alone = await request(this.aloneUrl + path, headers, method);
    return { server, alone, viaExpress };
  }

  async stop(): Promise<void> {
    const server = this.alone;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

let db: TestDatabase;
const tokens = { operator: '', tenant: '' };

beforeAll(async () => {
  db = await createTestDatabase();
  await seedOutage(db.pool, Date.now());
  tokens.operator = await token(db.pool, 'OPERATOR');
  tokens.tenant = await token(db.pool, 'SECURITY_ANALYST', 'zorblax');
});
afterAll(async () => {
  await db?.drop();
});

describe('status routes before Express: the answers of the Express app alone', () => {
  const pair = new Pair();
  let exporter: Exporter;

  beforeAll(async () => {
    exporter = await startTestExporter(db.url, { LOG_LEVEL: 'silent' }, { mounts: pair.mounts });
    await pair.serveAlone();
  });
  afterAll(async () => {
    await pair.stop();
    await exporter?.stop();
  });

  it.each(ROUTES)('%s: plain, gzip, with a query, and 304 to each representation’s ETag, without Express', async (path) => {
    const plain = await request(pair.aloneUrl + path, {});
    const gzipped = await request(pair.aloneUrl + path, GZIP);
    expect([plain.status, gzipped.status]).toEqual([200, 200]);
    expect(header(gzipped, 'content-encoding')).toBe('gzip');
    const etag = header(plain, 'etag')!;
    const gzipEtag = header(gzipped, 'etag')!;
    const variants: [string, Record<string, string>, number][] = [
      ['plain', {}, 200],
      ['gzip', GZIP, 200],
      ['query', {}, 200],
      ['plain ETag', { 'If-None-Match': etag }, 304],
      ['weak ETag among others', { 'If-None-Match': `"other", W/${etag}` }, 304],
      ['gzip ETag', { ...GZIP, 'If-None-Match': gzipEtag }, 304],
      ['plain ETag, gzip asked', { ...GZIP, 'If-None-Match': etag }, 200],
      ['a Basic credential (no token)', { Authorization: 'Basic dXNlcjpwYXNz' }, 200],
    ];
    for (const [variant, headers, status] of variants) {
      const { server, alone, viaExpress } = await pair.both(exporter.url, variant === 'query' ? `${path}?v=1` : path, headers);
      expect({ variant, status: server.status, viaExpress }).toEqual({ variant, status, viaExpress: false });
      expect({ variant, headers: server.headers }).toEqual({ variant, headers: alone.headers });
      expect(server.status).toBe(alone.status);
      expect(server.body.equals(alone.body)).toBe(true);
    }
  });

  it.each(ROUTES)('%s: with a token, and HEAD, Express answers', async (path) => {
    const variants: [string, Record<string, string>, string][] = [
      ['operator token', { Authorization: `Bearer ${tokens.operator}` }, 'GET'],
      ['tenant token', { Authorization: `Bearer ${tokens.tenant}`, ...GZIP }, 'GET'],
      ['HEAD', GZIP, 'HEAD'],
    ];
    for (const [variant, headers, method] of variants) {
      const { server, alone, viaExpress } = await pair.both(exporter.url, path, headers, method);
      expect({ variant, status: server.status, viaExpress }).toEqual({ variant, status: 200, viaExpress: true });
      expect({ variant, headers: server.headers }).toEqual({ variant, headers: alone.headers });
      expect(server.body.equals(alone.body)).toBe(true);
    }
  });

  it('leaves an unknown badge, and paths Express normalizes, to Express', async () => {
    for (const path of [
      '/status/badge/nope.svg',
      '/status/badge/platform',
      '/status/badge/plat%66orm.svg',
      '/STATUS.JSON',
      '/status.json/',
    ]) {
      const { server, alone, viaExpress } = await pair.both(exporter.url, path, GZIP);
      expect({ path, viaExpress }).toEqual({ path, viaExpress: true });
      expect({ path, status: server.status, headers: server.headers }).toEqual({ path, status: alone.status, headers: alone.headers });
      expect(server.body.equals(alone.body)).toBe(true);
    }
  });
});

describe('status routes before the first snapshot', () => {
  const pair = new Pair();
  let starting: Promise<Exporter> | undefined;
  let lock: pg.PoolClient | undefined;

  afterAll(async () => {
    await lock?.query('ROLLBACK');
    lock?.release();
    await pair.stop();
    await (await starting)?.stop();
  });

  it('answers as the Express app alone while the first collection waits for a lock', async () => {
    // The first collection blocks on the tenants table: until then the snapshot is the empty one.
    lock = await db.pool.connect();
    await lock.query('BEGIN');
    await lock.query('LOCK TABLE "Organization" IN ACCESS EXCLUSIVE MODE');
    const url = `http://127.0.0.1:${await freePort()}`;
    starting = startTestExporter(
      db.url,
      { LOG_LEVEL: 'silent', PORT: new URL(url).port, STATEMENT_TIMEOUT_MS: '60000' },
      { mounts: pair.mounts },
    );
    await waitFor('the server to listen', () => request(`${url}/healthz`, {}), 10_000);
    await pair.serveAlone();
    expect(pair.snapshot!().collections).toEqual([]);
    for (const path of ROUTES) {
      for (const headers of [{}, GZIP]) {
        const { server, alone, viaExpress } = await pair.both(url, path, headers);
        expect({ path, status: server.status, viaExpress }).toEqual({ path, status: 200, viaExpress: false });
        expect({ path, headers: server.headers }).toEqual({ path, headers: alone.headers });
        expect(server.body.equals(alone.body)).toBe(true);
      }
    }
    expect(pair.snapshot!().collections).toEqual([]);
    await lock.query('COMMIT');
    lock.release();
    lock = undefined;
    await starting;
  });
});

describe('status routes with STATUS_PUBLIC=false', () => {
  const pair = new Pair();
  let exporter: Exporter;

  beforeAll(async () => {
    exporter = await startTestExporter(db.url, { LOG_LEVEL: 'silent', STATUS_PUBLIC: 'false' }, { mounts: pair.mounts });
    await pair.serveAlone();
  });
  afterAll(async () => {
    await pair.stop();
    await exporter?.stop();
  });

  it.each(ROUTES)('%s: without a token (401) and with one (200), Express answers', async (path) => {
    const variants: [string, Record<string, string>, number][] = [
      ['no token', GZIP, 401],
      ['operator token', { Authorization: `Bearer ${tokens.operator}`, ...GZIP }, 200],
    ];
    for (const [variant, headers, status] of variants) {
      const { server, alone, viaExpress } = await pair.both(exporter.url, path, headers);
      expect({ variant, status: server.status, viaExpress }).toEqual({ variant, status, viaExpress: true });
      expect({ variant, headers: server.headers }).toEqual({ variant, headers: alone.headers });
      expect(server.body.equals(alone.body)).toBe(true);
    }
  });
});
