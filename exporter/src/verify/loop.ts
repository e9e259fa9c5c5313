import type pg from 'pg';
import type { VerifyStatus } from '../server/self-metrics';
import { logger } from '../log';
import { PeriodicTask } from '../util/periodic-task';
import { verify, type VerifyOptions } from './verify';

const LOGGED_DIFFERENCES = 20;

/**
 * `serve`'s periodic verify (VERIFY_INTERVAL_SECONDS): the same run as the CLI's, its outcome kept for
 * the aperio_exporter_verify_* metrics, so a dashboard and an alert show that the numbers were checked.
 */
export class VerifyLoop {
  private current: VerifyStatus = { lastRunAt: null, success: null, families: [] };
  private readonly task: PeriodicTask;

  constructor(
    private readonly pool: pg.Pool,
    intervalSeconds: number,
    private readonly options: VerifyOptions,
    /** Called after every run, successful or not (the metrics are rendered again). */
    private readonly onRun: () => void | Promise<void>,
  ) {
    this.task = new PeriodicTask('verify', intervalSeconds * 1000, () => this.runOnce());
  }

  get status(): VerifyStatus {
    return this.current;
  }

  start(): void {
    this.task.start();
  }

  stop(): Promise<void> {
    return this.task.stop();
  }

  private async runOnce(): Promise<void> {
    try {
      const result = await verify(this.pool, this.options);
      this.current = {
        lastRunAt: result.takenAt,
        success: true,
        families: result.families
          .filter((f) => !f.skipped)
          .map((f) => ({ family: f.family, compared: f.compared, differences: f.differences.length })),
      };
      if (result.differences.length) {
        logger.warn(
          { differences: result.differences.slice(0, LOGGED_DIFFERENCES), total: result.differences.length },
          'verify: the snapshot differs from its definitions',
        );
      }
    } catch (err) {
      // The last completed run's figures stay; the success gauge says this one failed (PeriodicTask logs why).
      this.current = { ...this.current, success: false };
      throw err;
    } finally {
      await this.onRun();
    }
  }
}
