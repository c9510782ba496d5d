import type { ClientBase } from "pg";

// PostgreSQL has locks of its own that mean nothing to PostgreSQL: advisory
// locks, named by a 64-bit number. The database only keeps the queue; what
// the lock protects is up to us. Two flavours:
//
// - `pg_advisory_lock(key)` is held by the *session* (the connection) until
//   `pg_advisory_unlock(key)`, or until the session ends. A holder that
//   crashes closes its socket, its backend exits, and the lock is free at
//   once: there is no TTL to wait out, and none to run out under a holder.
// - `pg_try_advisory_xact_lock(key)` is held by the *transaction* and is
//   released by COMMIT or ROLLBACK; there is no unlock call to forget.

// Advisory locks are named by a bigint; we hash a readable name into one.
const KEY = "hashtextextended($1, 0)";

/** A session-level advisory lock, held by one connection. */
export class AdvisoryLock {
  constructor(
    private readonly pg: ClientBase,
    readonly name: string,
  ) {}

  /** Waits in PostgreSQL's own queue (first come, first served) until it is ours. */
  async acquire(): Promise<void> {
    await this.pg.query(`SELECT pg_advisory_lock(${KEY})`, [this.name]);
  }

  async tryAcquire(): Promise<boolean> {
    const { rows } = await this.pg.query<{ locked: boolean }>(
      `SELECT pg_try_advisory_lock(${KEY}) AS locked`,
      [this.name],
    );
    return rows[0]!.locked;
  }

  async release(): Promise<boolean> {
    const { rows } = await this.pg.query<{ unlocked: boolean }>(
      `SELECT pg_advisory_unlock(${KEY}) AS unlocked`,
      [this.name],
    );
    return rows[0]!.unlocked;
  }
}

/**
 * Runs `work` in a transaction that holds the lock `name`, or returns
 * undefined at once if another transaction holds it. COMMIT releases it.
 */
export async function withXactLock<T>(
  pg: ClientBase,
  name: string,
  work: () => Promise<T>,
): Promise<T | undefined> {
  await pg.query("BEGIN");
  try {
    const { rows } = await pg.query<{ locked: boolean }>(
      `SELECT pg_try_advisory_xact_lock(${KEY}) AS locked`,
      [name],
    );
    if (!rows[0]!.locked) {
      await pg.query("ROLLBACK");
      return undefined;
    }
    const result = await work();
    await pg.query("COMMIT");
    return result;
  } catch (error) {
    await pg.query("ROLLBACK");
    throw error;
  }
}

// Where it stops: the lock lives and dies with one connection. A holder
// that is paused, or cut off by the network, still holds it, and everyone
// waits until TCP notices the peer is gone (hours, by default keepalive
// settings) or the pause ends. It is safe against late writes only when the
// protected data is in the same database and written over the same session:
// a session the server has ended cannot write anything.
