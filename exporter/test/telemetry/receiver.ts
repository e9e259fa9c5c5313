import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A span as received over OTLP/HTTP JSON, flattened for assertions. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  status: { code?: number; message?: string };
  attributes: Record<string, string | number | boolean>;
  resource: Record<string, string | number | boolean>;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
}
interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}
interface OtlpBody {
  resourceSpans: {
    resource?: { attributes?: OtlpAttribute[] };
    scopeSpans: {
      spans: (Omit<ReceivedSpan, 'attributes' | 'resource' | 'startTimeUnixNano' | 'endTimeUnixNano'> & {
        attributes?: OtlpAttribute[];
        startTimeUnixNano: string | number;
        endTimeUnixNano: string | number;
      })[];
    }[];
  }[];
}

/**
 * A local OTLP/HTTP receiver: POST /v1/traces with JSON bodies; `fail` answers 400 (not retried);
 * `delayMs` holds each answer that long (an export in flight), `received` counts the requests.
 */
export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  fail = false;
  delayMs = 0;
  received = 0;
  private server: http.Server | null = null;

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        if (req.method !== 'POST' || req.url !== '/v1/traces' || !String(req.headers['content-type']).includes('json')) {
          res.writeHead(404).end();
          return;
        }
        if (this.fail) {
          res.writeHead(400, { 'content-type': 'application/json' }).end('{"code":3,"message":"rejected by the test"}');
          return;
        }
        this.received += 1;
        // Like a collector, the spans are taken on arrival, whether or not the sender waits for the answer.
        this.collect(JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpBody);
        setTimeout(() => {
          if (!res.destroyed) res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        }, this.delayMs);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private collect(body: OtlpBody): void {
    for (const rs of body.resourceSpans) {
      const resource = flatten(rs.resource?.attributes ?? []);
      for (const ss of rs.scopeSpans) {
        for (const span of ss.spans) {
          this.spans.push({
            ...span,
            startTimeUnixNano: String(span.startTimeUnixNano),
            endTimeUnixNano: String(span.endTimeUnixNano),
            attributes: flatten(span.attributes ?? []),
            resource,
          });
        }
      }
    }
  }
}

function flatten(attributes: OtlpAttribute[]): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const { key, value } of attributes) {
    out[key] =
      value.stringValue ??
      (value.intValue !== undefined ? Number(value.intValue) : undefined) ??
      value.boolValue ??
      value.doubleValue ??
      '';
  }
  return out;
}
