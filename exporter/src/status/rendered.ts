import { createHash } from 'node:crypto';
import { acceptsGzip, gzipBytes } from '../http/encoding';
import type { Snapshot } from '../snapshot/types';
import type { StatusView } from './view';

/** What goes on the wire for one request: the plain bytes or their gzip, each with its own strong ETag. */
export interface Encoded {
  bytes: Buffer;
  etag: string;
  /** Content-Encoding; null for the plain bytes. */
  encoding: 'gzip' | null;
}

const etagOf = (bytes: Buffer) => `"${createHash('sha1').update(bytes).digest('base64url').slice(0, 22)}"`;

/** One rendered body of a view, and its gzip, made on the first request that takes gzip and kept with it. */
export class Body {
  readonly etag: string;
  private gzipped: Encoded | null = null;
  constructor(
    readonly bytes: Buffer,
    readonly type: string,
  ) {
    this.etag = etagOf(bytes);
  }

  /** The body as the request's Accept-Encoding takes it: gzip is computed once per body, so once per snapshot. */
  encodedFor(acceptEncoding: string | string[] | undefined): Encoded {
    if (!acceptsGzip(acceptEncoding)) return { bytes: this.bytes, etag: this.etag, encoding: null };
    // Another representation, another strong ETag (RFC 9110 8.8.3): a cache must not swap one for the other.
    this.gzipped ??= { bytes: gzipBytes(this.bytes), etag: `${this.etag.slice(0, -1)}-gzip"`, encoding: 'gzip' };
    return this.gzipped;
  }
}

/**
 * One view of one snapshot, rendered on first use, then served as bytes until the next snapshot. It
 * holds its snapshot weakly: a view kept until the next request must not keep a replaced snapshot of
 * tens of megabytes alive next to the current one and the one being collected.
 */
export class Rendered {
  private bodies = new Map<string, Body>();
  private readonly source: WeakRef<Snapshot>;
  /** When the snapshot was taken: the view's Last-Modified. */
  readonly takenAt: number;
  constructor(
    snapshot: Snapshot,
    readonly view: StatusView,
  ) {
    this.source = new WeakRef(snapshot);
    this.takenAt = snapshot.takenAt;
  }

  /** Whether this is a view of that snapshot. */
  isOf(snapshot: Snapshot): boolean {
    return this.source.deref() === snapshot;
  }

  get(key: string, type: string, render: (view: StatusView) => string): Body {
    let body = this.bodies.get(key);
    if (!body) {
      body = new Body(Buffer.from(render(this.view)), type);
      this.bodies.set(key, body);
    }
    return body;
  }
}
