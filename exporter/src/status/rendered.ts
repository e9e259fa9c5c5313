import { createHash } from 'node:crypto';
import type { Snapshot } from '../snapshot/types';
import type { StatusView } from './view';

export interface Body {
  bytes: Buffer;
  etag: string;
  type: string;
}

/** One view of one snapshot, rendered on first use, then served as bytes until the next snapshot. */
export class Rendered {
  private bodies = new Map<string, Body>();
  constructor(readonly snapshot: Snapshot, readonly view: StatusView) {}
  get(key: string, type: string, render: (view: StatusView) => string): Body {
    let body = this.bodies.get(key);
    if (!body) {
      const bytes = Buffer.from(render(this.view));
      body = { bytes, type, etag: `"${createHash('sha1').update(bytes).digest('base64url').slice(0, 22)}"` };
      this.bodies.set(key, body);
    }
    return body;
  }
}
