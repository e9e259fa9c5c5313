import net from 'node:net';
import fc from 'fast-check';
import { OPENAPI_DOCUMENT } from '../../src/api/openapi';
import { createCursorCodec, type Cursor } from '../../src/api/cursor';
import type { Exporter } from '../../src/server/start';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startTestExporter } from '../helpers/exporter';
import { insertRule, insertTenant } from '../helpers/fixtures';
import { get, insertRuleRuns, roleTokens, type Answer } from './helpers';

/**
 * Property-based: every route and parameter of the OpenAPI document, and the public status routes,
 * driven with malformed values (fixed seed, so a failure is reproducible). Whatever arrives, the answer
 * is below 500 and, when it is an error, JSON of the documented shape; a 400 names its field.
 */
const SEED = 1717;
const CURSOR_KEY = 'fuzz-test-cursor-key-0123456789abcdef';

interface Operation {
  path: string;
  query: string[];
  pathParams: string[];
}

const operations: Operation[] = Object.entries(OPENAPI_DOCUMENT.paths).map(([path, item]) => {
  const parameters = (item as { get: { parameters: { name: string; in: string }[] } }).get.parameters;
  return {
    path: `/api${path}`,
    query: parameters.filter((p) => p.in === 'query').map((p) => p.name),
    pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
  };
});

/** Values that have broken parsers before, and the places where ranges end. */
const NASTY = [
  '',
  '%',
  '%E0%A4%A',
  '%ZZ',
  '%00',
  '%C0%80',
  '%FF%FE',
  '\u0000',
  '-1',
  '0',
  '1.5',
  '1e999',
  'NaN',
  'Infinity',
  '9'.repeat(19),
  '9'.repeat(40),
  '9223372036854775807',
  '9223372036854775808',
  '-9223372036854775809',
  '2147483648',
  '0000-01-01',
  '0000-01-01T00:00:00+14:00',
  '9999-12-31T23:59:59-14:00',
  '275760-09-13',
  '+275760-09-13T00:00:00Z',
  '2026-02-31',
  '2026-11-26T24:00:00Z',
  'FAILED,',
  ',',
  'FAILED,,SUCCEEDED',
  'a'.repeat(5000),
  '../../etc/passwd',
  '<script>',
  "' OR 1=1 --",
  '{"$gt":""}',
  '[]',
  '__proto__',
  'constructor',
  '\uD800',
  '😀',
];

const rawValue = fc.oneof(
  fc.constantFrom(...NASTY),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer().map(String),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
  fc.date({ noInvalidDate: false }).map((d) => (Number.isNaN(d.getTime()) ? 'Invalid Date' : d.toISOString())),
);
/** Most values percent-encoded as a client would; some sent as they are, broken escapes included. */
const encodedValue = fc.oneof(
  { weight: 3, arbitrary: rawValue.map((v) => encodeURIComponent(v.replace(/[\uD800-\uDFFF]/g, '\uFFFD'))) },
  { weight: 1, arbitrary: fc.constantFrom('%E0%A4%A', '%', '%ZZ', '%00', '%C0%80', '%FF', 'a%2', '%%%') },
);

describe('every input gets a 4xx JSON answer naming the field, never a 5xx', () => {
  let db: TestDatabase;
  let exporter: Exporter;
  let tokens: Record<'admin' | 'analyst' | 'operator', string>;
  beforeAll(async () => {
    db = await createTestDatabase();
    for (const slug of ['acme', 'globex']) {
      const org = await insertTenant(db.pool, slug);
      await insertRule(db.pool, { id: `r_${slug}`, org, key: 'watchlist', interval: 3600 });
      await insertRuleRuns(db.pool, { org, ruleId: `r_${slug}`, count: 20, newest: new Date(Date.now() - 60_000), stepMs: 60_000 });
    }
    const t = await roleTokens(db.pool, 'acme', 'globex');
    tokens = { admin: t.admin, analyst: t.analyst, operator: t.operator };
    exporter = await startTestExporter(db.url, { LOG_LEVEL: 'silent', API_CURSOR_KEY: CURSOR_KEY });
  });
  afterAll(async () => {
    await exporter?.stop();
    await db?.drop();
  });

  const failures: string[] = [];
  const judge = (what: string, answer: Answer) => {
    const type = answer.headers.get('content-type') ?? '';
    let problem: string | null = null;
    if (answer.status >= 500) problem = `status ${answer.status}`;
    else if (answer.status >= 400) {
      const error = answer.body?.error;
      if (
        !type.includes('application/json') ||
        typeof error?.code !== 'string' ||
        typeof error?.message !== 'string' ||
        !('field' in error)
      )
        problem = `non-JSON ${answer.status}`;
      else if (answer.status === 400 && typeof error.field !== 'string') problem = 'a 400 without a field';
    }
    if (problem) failures.push(`${what}: ${problem}: ${answer.text.slice(0, 200)}`);
    return problem === null;
  };
  afterEach(() => expect(failures.splice(0)).toEqual([]));

  const role = fc.constantFrom<keyof typeof tokens>('admin', 'analyst', 'operator');

  it('query parameters of every route: malformed, repeated and unknown', async () => {
    const request = fc.record({
      op: fc.constantFrom(...operations),
      role,
      params: fc.array(fc.tuple(fc.nat(), encodedValue), { minLength: 1, maxLength: 4 }),
      unknown: fc.option(fc.constantFrom('colour', 'from[]', 'a%5Bb%5D', '%E0%A4%A', ''), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(request, async ({ op, role: who, params, unknown }) => {
        const names = op.query.length ? op.query : ['x'];
        const pairs = params.map(([i, value]) => `${names[i % names.length]}=${value}`);
        if (unknown !== undefined) pairs.push(`${unknown}=1`);
        const path = op.path.replace(/\{(\w+)\}/g, '1');
        const url = `${path}?${pairs.join('&')}`;
        return judge(`${who} GET ${url}`, await get(exporter.url, url, tokens[who]));
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('path parameters of every route, and of the public status badges', async () => {
    const paths = [...operations.filter((op) => op.pathParams.length).map((op) => op.path), '/status/badge/{file}'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), encodedValue, role, async (template, value, who) => {
        const url = template.replace(/\{\w+\}/, template.startsWith('/status') ? `${value}.svg` : value);
        const bearer = template.startsWith('/status') ? undefined : tokens[who];
        return judge(`${who} GET ${url}`, await get(exporter.url, url, bearer));
      }),
      { seed: SEED, numRuns: 250 },
    );
    // The probes of the report, by name.
    for (const url of ['/api/v1/rule-runs/%E0%A4%A', '/api/v1/connector-syncs/%E0%A4%A']) {
      const answer = await get(exporter.url, url, tokens.admin);
      expect(answer).toMatchObject({ status: 400, body: { error: { code: 'invalid_parameter', field: 'id' } } });
    }
    const badge = await get(exporter.url, '/status/badge/%E0%A4%A.svg');
    expect(badge).toMatchObject({ status: 400, body: { error: { code: 'invalid_parameter', field: 'file' } } });
  });

  it('cursors signed with the deployment key but holding any values (an insider, or a leaked key)', async () => {
    // The filter hash is keyed too: recompute it as the server does for the same filters and scope.
    const codec = createCursorCodec(CURSOR_KEY);
    const hash = codec.filterHash('rule-runs', 'org_acme', {});
    const bigintText = fc.oneof(
      fc.constantFrom('0', '9223372036854775807', '9223372036854775808', '9'.repeat(19)),
      fc.bigInt({ min: 0n, max: 2n ** 64n }).map(String),
    );
    const number = fc.oneof(
      fc.integer(),
      fc.constantFrom(8.64e15, 8.64e15 + 1, -8.64e15, 2 ** 53, 2 ** 63, 1e21, -62_167_219_200_001),
      fc.double({ noNaN: true }),
    );
    const cursor = fc.record({
      mode: fc.constantFrom<Cursor['mode']>('older', 'newer'),
      startedAtUs: number,
      id: bigintText,
      fromMs: number,
      toMs: number,
    });
    await fc.assert(
      fc.asyncProperty(cursor, async (c) => {
        const url = `/api/v1/rule-runs?cursor=${codec.encode({ ...c, filterHash: hash })}`;
        return judge(`GET ${url} ${JSON.stringify(c)}`, await get(exporter.url, url, tokens.admin));
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('a cursor is refused once edited, and a window that ends before it starts names the cursor', async () => {
    const first = await get(exporter.url, '/api/v1/rule-runs?limit=2', tokens.admin);
    const cursor = new URL(first.body.links.next, exporter.url).searchParams.get('cursor')!;
    const [payload, signature] = cursor.split('.');
    const wire = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const edited = Buffer.from(JSON.stringify({ ...wire, i: '9223372036854775808' })).toString('base64url');
    const tampered = await get(exporter.url, `/api/v1/rule-runs?limit=2&cursor=${edited}.${signature}`, tokens.admin);
    expect(tampered).toMatchObject({ status: 400, body: { error: { code: 'invalid_cursor', field: 'cursor' } } });
    // An edit that stays in range (another position, a wider window) is refused as well: the HMAC, not the bounds.
    for (const edit of [{ i: '1' }, { f: wire.f - 86_400_000 }]) {
      const moved = Buffer.from(JSON.stringify({ ...wire, ...edit })).toString('base64url');
      const answer = await get(exporter.url, `/api/v1/rule-runs?limit=2&cursor=${moved}.${signature}`, tokens.admin);
      expect(answer).toMatchObject({ status: 400, body: { error: { code: 'invalid_cursor', field: 'cursor' } } });
    }
    // A cursor signed by another deployment's key, for the same filters, is not this deployment's.
    const foreign = createCursorCodec('another-deployment-key-0123456789abcdef');
    const elsewhere = foreign.encode({ mode: 'older', startedAtUs: wire.t, id: wire.i, fromMs: wire.f, toMs: wire.u, filterHash: wire.h });
    expect(await get(exporter.url, `/api/v1/rule-runs?limit=2&cursor=${elsewhere}`, tokens.admin)).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_cursor' } },
    });

    const codec = createCursorCodec(CURSOR_KEY);
    const backwards = codec.encode({
      mode: 'older',
      startedAtUs: 0,
      id: '1',
      fromMs: Date.now(),
      toMs: Date.now() - 3600_000,
      filterHash: codec.filterHash('rule-runs', 'org_acme', {}),
    });
    const answer = await get(exporter.url, `/api/v1/rule-runs?cursor=${backwards}`, tokens.admin);
    expect(answer).toMatchObject({ status: 400, body: { error: { field: 'cursor' } } });
  });

  it('answers a 70 KB query string and a malformed request line with JSON, not a bare status or a reset', async () => {
    const huge = await get(exporter.url, `/api/v1/rule-runs?rule=${'a'.repeat(70_000)}`, tokens.admin);
    expect(huge.status).toBe(431);
    expect(huge.body).toEqual({ error: { code: 'headers_too_large', message: expect.any(String), field: null } });

    const { port } = new URL(exporter.url);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), '127.0.0.1', () =>
        socket.write('GET /api/v1/whoami HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n'),
      );
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4))).toMatchObject({ error: { code: 'malformed_request' } });
  });
});
