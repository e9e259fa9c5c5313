import http from 'node:http';
import zlib from 'node:zlib';
import type { Exporter } from '../../src/server/start';
import { acceptsGzip } from '../../src/http/encoding';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startTestExporter } from '../helpers/exporter';
import { seedOutage } from './seed';
import { STATUS_ROUTES } from './routes-list';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A raw request (fetch would ask for gzip by itself and undo it): the bytes as they were sent. */
function get(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

const ROUTES = [...STATUS_ROUTES, '/status/badge/platform.svg'];
const GZIP = { 'Accept-Encoding': 'gzip, deflate, br' };

describe('status routes gzipped when asked', () => {
  let db: TestDatabase;
  let exporter: Exporter;
  const now = Date.now();

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedOutage(db.pool, now);
    exporter = await startTestExporter(db.url, { LOG_LEVEL: 'silent' });
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await exporter?.stop();
    await db?.drop();
  });

  it.each(ROUTES)('%s: the gzip body decompresses to the plain body, with the same type and Vary: Accept-Encoding', async (route) => {
    const plain = await get(`${exporter.url}${route}`);
    const gzipped = await get(`${exporter.url}${route}`, GZIP);
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(gzipped.status).toBe(200);
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.headers['content-type']).toBe(plain.headers['content-type']);
    expect(gzipped.headers['content-length']).toBe(String(gzipped.body.length));
    for (const answer of [plain, gzipped]) expect(answer.headers.vary).toMatch(/\bAccept-Encoding\b/);
    expect(gzipped.body.length).toBeLessThan(plain.body.length + 32);
    expect(zlib.gunzipSync(gzipped.body).equals(plain.body)).toBe(true);
  });

  it('sends the plain body to a client that does not take gzip', async () => {
    for (const header of [undefined, 'identity', 'gzip;q=0', 'deflate, br', '*;q=0']) {
      const res = await get(`${exporter.url}/status.json`, header === undefined ? {} : { 'Accept-Encoding': header });
      expect([header, res.headers['content-encoding']]).toEqual([header, undefined]);
      expect(() => JSON.parse(res.body.toString('utf8'))).not.toThrow();
    }
    expect([acceptsGzip('GZIP;q=0.5'), acceptsGzip('*'), acceptsGzip('x-gzip'), acceptsGzip('gzip;q=0, *')]).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });

  it('gives the gzip body its own strong ETag, and answers 304 to the ETag of the representation asked for', async () => {
    const plain = await get(`${exporter.url}/status.json`);
    const gzipped = await get(`${exporter.url}/status.json`, GZIP);
    expect(gzipped.headers.etag).toMatch(/^"[^"]+"$/);
    expect(gzipped.headers.etag).not.toBe(plain.headers.etag);
    expect((await get(`${exporter.url}/status.json`, { ...GZIP, 'If-None-Match': gzipped.headers.etag! })).status).toBe(304);
    expect((await get(`${exporter.url}/status.json`, { 'If-None-Match': plain.headers.etag! })).status).toBe(304);
    // A cache holding the plain body must not be told that it is the gzip one, nor the other way round.
    expect((await get(`${exporter.url}/status.json`, { ...GZIP, 'If-None-Match': plain.headers.etag! })).status).toBe(200);
    expect((await get(`${exporter.url}/status.json`, { 'If-None-Match': gzipped.headers.etag! })).status).toBe(200);
  });

  it('gzips each view once per snapshot, however many requests ask', async () => {
    const gzipSync = jest.spyOn(zlib, 'gzipSync');
    await exporter.collector.refresh(); // a new snapshot: nothing of it is gzipped yet
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await get(`${exporter.url}/status.json`, GZIP));
    expect(gzipSync).toHaveBeenCalledTimes(1);
    for (const a of answers) expect(a.body.equals(answers[0].body)).toBe(true);
    await get(`${exporter.url}/api/v2/status.json`, GZIP);
    await get(`${exporter.url}/api/v2/status.json`, GZIP);
    expect(gzipSync).toHaveBeenCalledTimes(2);
    for (let i = 0; i < 3; i++) await get(`${exporter.url}/status.json`);
    expect(gzipSync).toHaveBeenCalledTimes(2);

    await exporter.collector.refresh();
    for (let i = 0; i < 3; i++) await get(`${exporter.url}/status.json`, GZIP);
    expect(gzipSync).toHaveBeenCalledTimes(3);
    gzipSync.mockRestore();
  });
});
