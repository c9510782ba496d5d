import { randomUUID } from "node:crypto";
import { type Isolation, isSerializationFailure, type Session } from "./sessions.js";

// A transaction is a group of statements the database treats as one:
// all of them happen or none do (Atomicity), the constraints hold when it
// ends (Consistency), other transactions see it as if it ran alone, to a
// degree we choose (Isolation), and once COMMIT returns it survives a
// crash (Durability). This file is the client's half of that bargain.

/** How to run a transaction. */
export interface TransactionOptions {
  /** The isolation level; the server's default when omitted. */
  isolation?: Isolation;
  /** How many times to run `work` again after a serialization failure. Default 0. */
  retries?: number;
  /** Told about each serialization failure that we retry. */
  onRetry?: (attempt: number, error: unknown) => void;
}

/**
 * Runs `work` between BEGIN and COMMIT on `session`. On any error it rolls
 * back and rethrows; a serialization failure is retried up to `retries` times.
 */
export async function transaction<T>(
  session: Session,
  work: (session: Session, attempt: number) => Promise<T>,
  { isolation, retries = 0, onRetry }: TransactionOptions = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    await session.begin(isolation);
    try {
      const result = await work(session, attempt);
      // Under SERIALIZABLE even COMMIT can fail: that is where the database
      // may first see that our transaction and another cannot both stand.
      await session.query("COMMIT");
      return result;
    } catch (error) {
      // Atomicity is the database's promise, but it needs our ROLLBACK. An
      // error thrown in our own code leaves the transaction open, holding
      // its row locks; a connection returned to a pool in that state hands
      // the half-done work to whoever borrows it next.
      await session.query("ROLLBACK").catch(() => {});
      // Stronger isolation does not block the losing transaction, it aborts
      // it (SQLSTATE 40001). That is not a bug to report but a race to run
      // again, from the top: the reads it made are what went stale.
      // In production, add a jittered backoff between attempts.
      if (attempt <= retries && isSerializationFailure(error)) {
        onRetry?.(attempt, error);
        continue;
      }
      throw error;
    }
  }
}

/** What a transfer does between its two halves; tests make it fail there. */
export interface TransferHooks {
  afterDebit?: () => Promise<void> | void;
}

// A transfer is the textbook transaction: money leaves one account and
// arrives in another, and a crash or an error in between must not lose it.
// We debit with `balance = balance - $2` rather than writing back a value
// we read: the database computes it under the row lock, so two concurrent
// transfers cannot lose each other's update (see anomalies.ts for the
// read-modify-write that can). The CHECK constraint refuses an overdraft
// and the foreign keys refuse an account that does not exist: we need
// no `if` for either, and no race can slip between our check and our write.

/** Moves `amount` from `from` to `to`. Run it inside {@link transaction}. */
export async function transfer(
  session: Session,
  { from, to, amount }: { from: string; to: string; amount: number },
  hooks: TransferHooks = {},
): Promise<string> {
  const id = randomUUID();
  await session.query("UPDATE accounts SET balance = balance - $2 WHERE id = $1", [from, amount]);
  await hooks.afterDebit?.();
  await session.query(
    "INSERT INTO transfers (id, from_id, to_id, amount) VALUES ($1, $2, $3, $4)",
    [id, from, to, amount],
  );
  await session.query("UPDATE accounts SET balance = balance + $2 WHERE id = $1", [to, amount]);
  return id;
}

// Durability is the server's part, and the client sees only its edge: when
// COMMIT returns, the commit record is in the write-ahead log (WAL). With
// `synchronous_commit = on` (the default) PostgreSQL has written the log
// and flushed it to disk before it answers. With `off` it answers first,
// and the WAL writer writes the log within about `3 × wal_writer_delay`:
// a crash in that window loses transactions the client saw commit, but
// never leaves half of one (see durability.ts and its test).

/** Sets `synchronous_commit` for the rest of this session. */
export async function setSynchronousCommit(session: Session, on: boolean): Promise<void> {
  await session.query(`SET synchronous_commit = ${on ? "on" : "off"}`);
}
