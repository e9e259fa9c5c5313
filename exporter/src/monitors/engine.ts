import type pg from 'pg';
import { LeaderLock } from '../background/leader-lock';
import { PeriodicTask } from '../background/periodic-task';
import { logger } from '../log';
import type { Snapshot } from '../snapshot/types';
import { checkKey, type MonitorsConfig } from './config';
import { evaluateChecks, recordCounters } from './evaluate';
import { loadOpenFindings, openFindings, resolveFindings, updateFindings } from './findings';
import { CounterHistory } from './history';
import { LEADER_LOCK_KEY } from './leader';
import { readRuleDurations, type RuleDurations } from './rule-durations';
import { newStats, publishStats, type MonitorStats } from './stats';
import type { CheckName } from '../snapshot/platform-findings';
import { dedupKey, type Observation } from './types';

export interface MonitorEngineOptions {
  /** A pool on the primary (never the read replica): the leader lock and the writes use it. */
  pool: pg.Pool;
  getSnapshot: () => Snapshot;
  config: MonitorsConfig;
  intervalSeconds: number;
  clock?: () => number;
  lockKey?: string;
}

/** What the engine believes about one (check, subject). */
interface SubjectState {
  check: CheckName;
  /** When the condition was first seen in the current run of failures; null while clear. */
  failingSince: number | null;
  /** When the condition was first seen clear while a finding is open; null while failing. */
  clearSince: number | null;
}

/** What a cycle writes for one (check, subject). */
type Write =
  | { kind: 'update'; key: string; observation: Observation; id: string; mayOpen: boolean }
  | { kind: 'open'; key: string; observation: Observation }
  | { kind: 'resolve'; key: string; check: CheckName; id: string };

export interface CycleReport {
  leader: boolean;
  observed: number;
  suppressed: number;
  opened: string[];
  updated: string[];
  resolved: string[];
}

/**
 * Evaluates the checks after each snapshot and turns conditions into findings: opened once the
 * condition held for `for`, updated while it persists, resolved once it stayed clear for `recovery`.
 * Every replica evaluates (so the `for` timers are warm on failover) but only the lock holder writes;
 * the open findings are re-read from the database each cycle, so a new leader continues them.
 */
export class MonitorEngine {
  readonly stats: MonitorStats = newStats();
  private readonly history = new CounterHistory();
  private readonly states = new Map<string, SubjectState>();
  private readonly lock: LeaderLock;
  private readonly clock: () => number;
  private lastRecordedAt = -1;
  private suppressing = false;
  private readonly task: PeriodicTask;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: MonitorEngineOptions) {
    this.clock = options.clock ?? Date.now;
    this.lock = new LeaderLock(options.pool, { key: options.lockKey ?? LEADER_LOCK_KEY, role: 'monitors' });
    this.task = new PeriodicTask({ name: 'monitors', intervalMs: options.intervalSeconds * 1000, step: () => this.cycle() });
  }

  start(): void {
    if (this.task.running) return;
    publishStats(this.stats);
    this.task.start();
  }

  /** Stops evaluating and gives up the leader lock, so another replica takes over on its next cycle. */
  async stop(): Promise<void> {
    await this.task.stop();
    await this.queue; // a cycle a caller started finishes before the lock goes
    await this.lock.release();
    this.stats.leader = false;
    publishStats(null);
  }

  /** One evaluation; calls made while one runs wait for it (the timer and a caller never interleave). */
  cycle(): Promise<CycleReport> {
    const run = this.queue.then(() => this.evaluate());
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async evaluate(): Promise<CycleReport> {
    const started = performance.now();
    const now = this.clock();
    const snapshot = this.options.getSnapshot();
    const ruleDurations = await this.readRuleDurations(now);
    const { observations, suppressed, unknown } = evaluateChecks(snapshot, this.options.config, now, this.history, ruleDurations);
    if (snapshot.takenAt > this.lastRecordedAt) {
      recordCounters(snapshot, this.options.config, this.history);
      this.lastRecordedAt = snapshot.takenAt;
    }
    this.noteSuppression(
      suppressed.map((s) => s.check),
      suppressed[0]?.reason,
    );
    const report: CycleReport = {
      leader: false,
      observed: observations.length,
      suppressed: suppressed.length,
      opened: [],
      updated: [],
      resolved: [],
    };

    const client = await this.lock.acquire();
    this.stats.leader = client !== null;
    report.leader = client !== null;
    // Suppressed and unknown subjects keep their state: an open finding is neither updated nor resolved.
    const frozen = new Set([...suppressed, ...unknown].map((s) => dedupKey(s.check, s.subject)));
    try {
      const open = client ? await loadOpenFindings(client) : new Map<string, { id: string }>();
      const seen = new Map(observations.map((o) => [dedupKey(o.check, o.subject), o]));
      const keys = new Set([...seen.keys(), ...this.states.keys(), ...open.keys()]);
      const writes: Write[] = [];
      for (const key of keys) {
        if (frozen.has(key)) continue;
        const write = this.step(key, seen.get(key), open.get(key)?.id ?? null, now, client);
        if (write) writes.push(write);
      }
      if (client) await this.write(client, writes, now, report);
    } catch (err) {
      // A write that fails means the database or the lock may be gone: stop writing until re-elected.
      this.lock.drop(`write failed: ${(err as Error).message}`);
      this.stats.leader = false;
      this.stats.evaluationFailures++;
      throw err;
    } finally {
      this.stats.evaluations++;
      this.stats.lastEvaluationAt = now;
      this.stats.lastDurationSeconds = (performance.now() - started) / 1000;
    }
    return report;
  }

  /**
   * Moves one (check, subject)'s timers and says what to write for it, if anything: the writes of a
   * cycle go out together (write), one statement per kind, not one per finding.
   */
  private step(key: string, o: Observation | undefined, openId: string | null, now: number, client: pg.PoolClient | null): Write | null {
    const check = (o?.check ?? key.slice(0, key.indexOf(':'))) as CheckName;
    const config = this.options.config[checkKey(check)];
    const state = this.states.get(key) ?? { check, failingSince: null, clearSince: null };
    this.states.set(key, state);
    if (o) {
      state.clearSince = null;
      state.failingSince ??= now;
      if (!client) return null;
      const mayOpen = now - state.failingSince >= config.forSeconds * 1000;
      if (openId) return { kind: 'update', key, observation: o, id: openId, mayOpen };
      return mayOpen ? { kind: 'open', key, observation: o } : null;
    }
    state.failingSince = null;
    if (!openId) {
      // Nothing open (or not leading): keep the recovery timer only while a finding may exist.
      if (client || state.clearSince === null) this.states.delete(key);
      return null;
    }
    state.clearSince ??= now;
    if (!client || now - state.clearSince < config.recoverySeconds * 1000) return null;
    return { kind: 'resolve', key, check, id: openId };
  }

  /**
   * The cycle's writes: one UPDATE refreshes the open findings still failing, one INSERT (in its own
   * transaction) opens the new ones and those found no longer open that may open again, one UPDATE
   * resolves the recovered ones. The report lists the keys in the order they were judged.
   */
  private async write(client: pg.PoolClient, writes: Write[], now: number, report: CycleReport): Promise<void> {
    const updates = writes.filter((w): w is Extract<Write, { kind: 'update' }> => w.kind === 'update');
    const updated = await updateFindings(
      client,
      updates.map((w) => ({ id: w.id, observation: w.observation })),
      now,
    );
    const opening = writes.filter(
      (w): w is Extract<Write, { kind: 'open' | 'update' }> =>
        w.kind === 'open' || (w.kind === 'update' && !updated.has(String(w.id)) && w.mayOpen),
    );
    const opened = await openFindings(
      client,
      opening.map((w) => w.observation),
      now,
    );
    const resolves = writes.filter((w): w is Extract<Write, { kind: 'resolve' }> => w.kind === 'resolve');
    const resolved = await resolveFindings(
      client,
      resolves.map((w) => w.id),
      now,
    );
    for (const w of writes) {
      if (w.kind === 'resolve') {
        this.states.delete(w.key);
        if (!resolved.has(String(w.id))) continue;
        this.stats.resolved++;
        report.resolved.push(w.key);
        logger.info({ check: w.check, dedupKey: w.key }, 'monitors: finding resolved');
      } else if (w.kind === 'update' && updated.has(String(w.id))) {
        report.updated.push(w.key);
      } else {
        const result = opened.get(w.key);
        if (!result) continue;
        if (result.created) {
          this.stats.opened++;
          report.opened.push(w.key);
          logger.info(
            { check: w.observation.check, dedupKey: w.key, tenantId: w.observation.tenantId },
            `monitors: finding opened: ${w.observation.title}`,
          );
        } else report.updated.push(w.key);
      }
    }
  }

  /** rule_slow judges real run durations; a failed read leaves it unknown for this cycle. */
  private async readRuleDurations(now: number): Promise<RuleDurations | null> {
    const c = this.options.config.rule_slow;
    if (!c.enabled) return null;
    try {
      return await readRuleDurations(this.options.pool, now, c.windowSeconds * 1000);
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'monitors: rule run durations could not be read; rule_slow is unknown this cycle');
      return null;
    }
  }

  /** Suppression is logged when it starts and ends (per cycle it is in aperio_monitor_suppressed). */
  private noteSuppression(checks: CheckName[], reason: string | undefined): void {
    for (const name of Object.keys(this.stats.suppressed) as CheckName[])
      this.stats.suppressed[name] = checks.filter((c) => c === name).length;
    if (checks.length && !this.suppressing)
      logger.warn({ suppressed: checks.length, reason }, 'monitors: schedule_missed suppressed while ingestion is backlogged');
    if (!checks.length && this.suppressing) logger.info('monitors: ingestion no longer backlogged; schedule_missed evaluated again');
    this.suppressing = checks.length > 0;
  }
}
