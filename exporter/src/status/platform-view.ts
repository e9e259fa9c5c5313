import { activeStats } from '../monitors/stats';
import type { Snapshot } from '../snapshot/types';
import { FindingIncidentTracker } from './findings';
import { IncidentTracker } from './incidents';
import { statusModelOf } from './model-cache';
import { Rendered } from './rendered';
import { buildStatusView, type PageInfo } from './view';

/**
 * The platform's status view (public and operator requests), built once per snapshot. Building it is
 * also what moves the incident trackers on, so it is asked for on a timer too (status/refresh.ts):
 * an incident starts when a degradation is first seen, not when someone first opens the page.
 */
export class PlatformStatusView {
  private readonly tracker = new IncidentTracker();
  private readonly findingTracker = new FindingIncidentTracker();
  private current: Rendered | null = null;

  constructor(private readonly page: PageInfo) {}

  /** The last view built, of whichever snapshot was newest then; null before the first. */
  get latest(): Rendered | null {
    return this.current;
  }

  of(snapshot: Snapshot): Rendered {
    if (!this.current?.isOf(snapshot)) {
      const model = statusModelOf(snapshot);
      this.tracker.update(model);
      this.findingTracker.update(snapshot);
      // Where self-monitoring runs, its open platform findings are the incidents; elsewhere, degraded components.
      const source = activeStats() ? this.findingTracker : this.tracker;
      const incidents = { unresolved: source.unresolved(), all: source.all() };
      this.current = new Rendered(
        snapshot,
        buildStatusView(snapshot, { page: this.page, model, incidents, history: snapshot.statusHistory }),
      );
    }
    return this.current;
  }
}
