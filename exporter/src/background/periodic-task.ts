import type { Logger } from 'pino';
import { logger } from '../log';
import { countBackgroundError, registerBackgroundTask, type BackgroundTaskName } from './errors';

export interface PeriodicTaskOptions {
  /** Names the loop in logs and in aperio_exporter_background_errors_total{task}. */
  name: BackgroundTaskName;
  /** The wait between the end of one step and the start of the next. */
  intervalMs: number;
  step: () => Promise<unknown>;
  /** The wait before the first step; 0 (the default) runs it as soon as the task starts. */
  firstRunAfterMs?: number;
  /** Whether the waiting timer lets the process exit (for work that only matters while serving). */
  unref?: boolean;
  /** Where a failed step is logged; the process's logger unless a test reads the lines itself. */
  log?: Logger;
}

/**
 * Every background loop of the exporter: runs its step, then waits `intervalMs` after the step ends
 * before the next (never two at once, whatever a step takes). A failed step is logged with the task's
 * name and counted, and the loop carries on. `stop()` cancels the wait and resolves once a step in
 * progress has finished, so a shutdown never cuts one.
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;
  private active = false;

  constructor(private readonly options: PeriodicTaskOptions) {
    registerBackgroundTask(options.name);
  }

  get name(): BackgroundTaskName {
    return this.options.name;
  }

  /** Whether the task is started and not stopped. */
  get running(): boolean {
    return this.active;
  }

  start(): void {
    if (this.active) return;
    this.active = true;
    // Restarted while the last step still runs: that step schedules the next when it ends.
    if (!this.inFlight) this.schedule(this.options.firstRunAfterMs ?? 0);
  }

  async stop(): Promise<void> {
    this.active = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.inFlight;
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => this.runStep(), ms);
    if (this.options.unref) this.timer.unref();
  }

  private runStep(): void {
    this.timer = null;
    // `.finally` runs after the assignment even when the step fails synchronously.
    this.inFlight = this.attempt().finally(() => {
      this.inFlight = null;
      if (this.active) this.schedule(this.options.intervalMs);
    });
  }

  private async attempt(): Promise<void> {
    try {
      await this.options.step();
    } catch (err) {
      countBackgroundError(this.options.name);
      (this.options.log ?? logger).warn(
        { task: this.options.name, err: err instanceof Error ? err.message : String(err) },
        `${this.options.name}: background step failed; trying again in ${this.options.intervalMs} ms`,
      );
    }
  }
}
