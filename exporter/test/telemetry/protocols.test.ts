import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { runSpanIds } from '../../src/telemetry/ids';
import { createRunTracing, type RunTracing } from '../../src/telemetry/tracing';

// OTEL_EXPORTER_OTLP_PROTOCOL picks the exporter as the SDK would: http/protobuf by default, http/json on
// request, and grpc. The exporters read the endpoint from the environment themselves, so these tests set it.
const VARS = ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_PROTOCOL', 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL'];

describe('OTLP protocol selection', () => {
  const saved: Record<string, string | undefined> = {};
  const requests: { url: string; type: string; bytes: number }[] = [];
  let server: http.Server;
  let url: string;
  let tracing: RunTracing | null = null;

  beforeAll(async () => {
    for (const name of VARS) saved[name] = process.env[name];
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        requests.push({ url: req.url ?? '', type: String(req.headers['content-type']), bytes: Buffer.concat(chunks).length });
        // An empty ExportTraceServiceResponse: zero bytes in protobuf, {} in JSON.
        const json = String(req.headers['content-type']).includes('json');
        res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' }).end(json ? '{}' : '');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    await tracing?.shutdown().catch(() => undefined);
    tracing = null;
    requests.length = 0;
  });

  afterAll(async () => {
    for (const name of VARS) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    await new Promise((resolve) => server.close(resolve));
  });

  const sendOneSpan = async (env: Record<string, string>) => {
    for (const name of VARS) delete process.env[name];
    Object.assign(process.env, { OTEL_EXPORTER_OTLP_ENDPOINT: url, ...env });
    tracing = createRunTracing();
    if (!tracing) throw new Error('expected a tracer: the endpoint is set');
    tracing.ids.use(runSpanIds('RuleRun', 1, null));
    tracing.tracer.startSpan('probe', { startTime: new Date('2026-01-02T03:00:00Z') }).end(new Date('2026-01-02T03:00:01Z'));
    await tracing.flush();
    return tracing;
  };

  it('sends protobuf to /v1/traces when no protocol is set', async () => {
    expect((await sendOneSpan({})).protocol).toBe('http/protobuf');
    expect(requests).toEqual([{ url: '/v1/traces', type: 'application/x-protobuf', bytes: expect.any(Number) }]);
    expect(requests[0].bytes).toBeGreaterThan(0);
  });

  it('sends JSON with OTEL_EXPORTER_OTLP_PROTOCOL=http/json', async () => {
    expect((await sendOneSpan({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' })).protocol).toBe('http/json');
    expect(requests.map((r) => [r.url, r.type])).toEqual([['/v1/traces', 'application/json']]);
  });

  it('lets OTEL_EXPORTER_OTLP_TRACES_PROTOCOL override the general one', async () => {
    await sendOneSpan({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf' });
    expect(requests.map((r) => r.type)).toEqual(['application/x-protobuf']);
  });

  it('builds a gRPC exporter with OTEL_EXPORTER_OTLP_PROTOCOL=grpc', () => {
    for (const name of VARS) delete process.env[name];
    Object.assign(process.env, { OTEL_EXPORTER_OTLP_ENDPOINT: url, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' });
    tracing = createRunTracing();
    expect(tracing?.protocol).toBe('grpc');
  });
});
