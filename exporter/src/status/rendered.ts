import { createHash } from 'node:crypto';
import type { Snapshot } from '../snapshot/types';
import type { StatusView } from './view';

export interface Body {
  bytes: Buffer;
  etag: string;
  type: string;
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
      const bytes = Buffer.from(render(this.view));
      body = { bytes, type, etag: `"${createHash('sha1').update(bytes).digest('base64url').slice(0, 22)}"` };
      this.bodies.set(key, body);
    }
    return body;
  }
}
