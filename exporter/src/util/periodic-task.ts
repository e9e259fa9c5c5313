import { logger } from '../log';

/**
 * Runs an async job now and then every `intervalMs` after each run ends (never two at once), logging a
 * failure and trying again next time. `stop()` waits for a run in progress, so shutdown never cuts one.
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly name: string,
    private readonly intervalMs: number,
    private readonly job: () => Promise<unknown>,
  ) {}

  start(): void {
    if (this.timer) return;
    const loop = () => {
      this.running = this.job()
        .then(() => undefined)
        .catch((err) => logger.warn({ err: (err as Error).message }, `${this.name} failed; retrying next time`))
        .finally(() => {
          this.running = null;
          if (this.timer) this.timer = setTimeout(loop, this.intervalMs);
        });
    };
    this.timer = setTimeout(loop, 0);
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}
