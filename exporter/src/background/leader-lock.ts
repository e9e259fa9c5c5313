import type pg from 'pg';
import { logger } from '../log';

export interface LeaderLockOptions {
  /** The session advisory lock's bigint key, as a decimal string: one key per kind of leadership. */
  key: string;
  /** Who leads, for the logs ("monitors", "run telemetry"). */
  role: string;
}

/**
 * Leader election with a PostgreSQL session advisory lock held on one dedicated pooled connection.
 * The leader does its work on that same connection: if the connection dies, the lock is gone with it
 * and so is the right to write. Before handing the connection out again, `acquire()` asks the server
 * whether this session still holds the lock (a terminated session, a failover), so a leader that lost
 * it notices at its next cycle instead of writing beside the new one. Losers try again every cycle,
 * so a stopped or killed leader is replaced within two cycles.
 *
 * Not the maintenance lock (maintenance/lock.ts): that one is held for one run and then released,
 * with a bounded wait for the CLI; nobody leads between runs.
 */
export class LeaderLock {
  private client: pg.PoolClient | null = null;
  private broken = false;
  private elections = 0;

  constructor(
    private readonly pool: pg.Pool,
    private readonly options: LeaderLockOptions,
  ) {}

  get leading(): boolean {
    return this.client !== null && !this.broken;
  }

  /**
   * Counts the times this instance won the lock: work that keeps state read under the lock (a tail
   * position) reads it again when the term changes, since another replica may have moved it meanwhile.
   */
  get term(): number {
    return this.elections;
  }

  /** The connection to work on while leading; null when another replica leads or the database cannot be reached. */
  async acquire(): Promise<pg.PoolClient | null> {
    if (this.client && !this.broken && (await this.stillHeld(this.client))) return this.client;
    if (this.client) this.drop('lost the leader lock or its connection');
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      // No connection, no lock: whoever can reach the database leads meanwhile.
      logger.warn({ err: (err as Error).message }, `${this.options.role}: cannot reach the database to take the leader lock`);
      return null;
    }
    try {
      const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [this.options.key]);
      if (!rows[0]?.ok) {
        client.release();
        return null;
      }
    } catch (err) {
      client.release(true);
      logger.warn({ err: (err as Error).message }, `${this.options.role}: the leader lock could not be tried`);
      return null;
    }
    this.broken = false;
    // An error on a checked-out client is emitted on the client; without a listener it would crash the process.
    client.on('error', (err) => {
      this.broken = true;
      logger.warn({ err: err.message }, `${this.options.role}: the leader connection failed; no longer leading`);
    });
    this.client = client;
    this.elections++;
    logger.info(`${this.options.role}: this replica now leads (leader lock acquired)`);
    return client;
  }

  private async stillHeld(client: pg.PoolClient): Promise<boolean> {
    try {
      const { rows } = await client.query<{ held: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted
           AND objsubid = 1 AND ((classid::bigint << 32) | objid::bigint) = $1::bigint) AS held`,
        [this.options.key],
      );
      return rows[0]?.held === true;
    } catch {
      return false;
    }
  }

  /** Stops leading: the connection is destroyed, which frees the lock even if an unlock could not run. */
  drop(reason: string): void {
    if (!this.client) return;
    logger.warn({ reason }, `${this.options.role}: stepping down as leader`);
    this.client.release(true);
    this.client = null;
    this.broken = false;
  }

  /** Gives the lock up on purpose (shutdown), so another replica takes over at its next try. */
  async release(): Promise<void> {
    if (!this.client) return;
    const client = this.client;
    this.client = null;
    this.broken = false;
    await client.query('SELECT pg_advisory_unlock($1::bigint)', [this.options.key]).catch(() => undefined);
    client.release(true);
  }
}
