import type pg from 'pg';
import { logger } from '../log';

/** The session-level advisory lock the evaluating replica holds: 'aperiomn' as a bigint. */
export const LEADER_LOCK_KEY = '7020103018034900334';

/**
 * Leader election with a PostgreSQL session advisory lock held on one dedicated pooled connection.
 * Whoever holds the lock evaluates and writes, on that same connection: if the connection dies, the
 * lock is gone with it and so is the right to write. Losers retry every cycle, so a stopped or killed
 * leader is replaced within two cycles (its session ends, the lock frees, the next try wins).
 */
export class LeaderLock {
  private client: pg.PoolClient | null = null;
  private broken = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly key = LEADER_LOCK_KEY,
  ) {}

  get leading(): boolean {
    return this.client !== null && !this.broken;
  }

  /** The connection to write on while leading, or null when another replica leads or the database is gone. */
  async acquire(): Promise<pg.PoolClient | null> {
    if (this.client && !this.broken && (await this.stillHeld())) return this.client;
    if (this.client) this.drop('lost the leader lock or its connection');
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch {
      return null;
    }
    try {
      const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [this.key]);
      if (!rows[0]?.ok) {
        client.release();
        return null;
      }
    } catch {
      client.release(true);
      return null;
    }
    this.broken = false;
    // An error on a checked-out client is emitted on the client; without a listener it would crash the process.
    client.on('error', (err) => {
      this.broken = true;
      logger.warn({ err: err.message }, 'monitors: the leader connection failed; no longer writing findings');
    });
    this.client = client;
    logger.info('monitors: this replica now evaluates the platform checks (leader lock acquired)');
    return client;
  }

  private async stillHeld(): Promise<boolean> {
    try {
      const { rows } = await this.client!.query<{ held: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted
           AND objsubid = 1 AND ((classid::bigint << 32) | objid::bigint) = $1::bigint) AS held`,
        [this.key],
      );
      return rows[0]?.held === true;
    } catch {
      return false;
    }
  }

  /** Stops leading: the connection is destroyed, which frees the lock even if the unlock cannot run. */
  drop(reason: string): void {
    if (!this.client) return;
    logger.warn({ reason }, 'monitors: stepping down as leader');
    this.client.release(true);
    this.client = null;
    this.broken = false;
  }

  async release(): Promise<void> {
    if (!this.client) return;
    const client = this.client;
    this.client = null;
    await client.query('SELECT pg_advisory_unlock($1::bigint)', [this.key]).catch(() => undefined);
    client.release(true);
  }
}
