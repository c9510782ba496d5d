import { poll } from "@playground/kit";
import pg from "pg";

// Replication copies every change a primary makes to other servers, its
// replicas. PostgreSQL does it by streaming its write-ahead log (WAL): the
// replica connects to the primary like a client, receives each WAL record as
// it is written, and replays it. Nothing here copies data by hand; this file
// is what an application has to know to *use* a primary and a replica.

/** Where a read is served. */
export type ReadFrom =
  /** The replica as it is right now: takes load off the primary, may be stale. */
  | "replica"
  /** The primary: always fresh, but every such read is load on the one writable server. */
  | "primary"
  /** The replica, once it has replayed this session's last commit. */
  | "replica-after-my-writes";

/** The replica had not replayed the session's last commit in time. */
export class ReplicaBehindError extends Error {
  override name = "ReplicaBehindError";

  constructor(
    readonly lsn: string,
    readonly waitedMs: number,
  ) {
    super(
      `The replica had not replayed this session's last commit (WAL position ${lsn}) after ` +
        `${waitedMs} ms: read from the primary, or wait longer for the replica.`,
    );
  }
}

/**
 * One application session over a PostgreSQL primary and one streaming
 * replica: writes go to the primary, reads go where the caller says.
 */
export class ReplicatedPostgres {
  /** The WAL position at or after this session's last commit, once it has written. */
  lastCommitLsn: string | undefined;

  private constructor(
    readonly primary: pg.Client,
    readonly replica: pg.Client,
  ) {}

  static async connect(primaryUrl: string, replicaUrl: string): Promise<ReplicatedPostgres> {
    const [primary, replica] = await Promise.all([connect(primaryUrl), connect(replicaUrl)]);
    return new ReplicatedPostgres(primary, replica);
  }

  // Only the primary accepts writes. A replica replays the primary's WAL and
  // nothing else, so it runs every transaction read-only and refuses an
  // INSERT with "cannot execute INSERT in a read-only transaction".
  //
  // Once the statement has committed, we ask the primary how far its WAL
  // goes. The commit flushed its WAL before answering us, so the commit
  // record ends at or before `pg_current_wal_lsn()`: a replica that has
  // replayed up to that position has replayed our write.
  /** Runs `sql` on the primary (one autocommitted statement) and remembers where its commit ends. */
  async write<R extends pg.QueryResultRow>(
    sql: string,
    params: unknown[] = [],
  ): Promise<pg.QueryResult<R>> {
    const result = await this.primary.query<R>(sql, params);
    const { rows } = await this.primary.query<{ lsn: string }>(
      "select pg_current_wal_lsn() as lsn",
    );
    this.lastCommitLsn = rows[0]!.lsn;
    return result;
  }

  // Reads are what replicas are for: every replica can serve them, so read
  // capacity grows with the number of replicas while writes stay on one
  // server. The price is staleness. The primary acknowledges a commit
  // without waiting for the replica (asynchronous replication), so a read
  // on the replica right after our own write can miss it.
  /** Runs `sql` where `from` says; `replica-after-my-writes` waits up to `timeoutMs` for the replica. */
  async read<R extends pg.QueryResultRow>(
    sql: string,
    params: unknown[] = [],
    from: ReadFrom = "replica",
    timeoutMs = 5_000,
  ): Promise<pg.QueryResult<R>> {
    switch (from) {
      case "primary":
        return this.primary.query<R>(sql, params);
      case "replica":
        return this.replica.query<R>(sql, params);
      case "replica-after-my-writes":
        await this.waitForReplay(timeoutMs);
        return this.replica.query<R>(sql, params);
    }
  }

  // Read-your-writes on a replica: before reading, we wait until the
  // replica's replay position has reached our last commit. Other sessions'
  // reads are not held up, and a session that has not written waits for
  // nothing. PostgreSQL 15 has no "wait for LSN" statement, so we poll,
  // every millisecond, since this wait is part of the read's latency. A
  // replica we cannot query is not "behind": that error ends the wait as it is.
  /** Resolves once the replica has replayed this session's last commit. */
  async waitForReplay(timeoutMs = 5_000): Promise<void> {
    const lsn = this.lastCommitLsn;
    if (lsn === undefined) return;
    let failure: { error: unknown } | undefined;
    const replayed = await poll(
      async () => {
        try {
          const { rows } = await this.replica.query<{ done: boolean }>(
            "select pg_last_wal_replay_lsn() >= $1::pg_lsn as done",
            [lsn],
          );
          return rows[0]!.done;
        } catch (error) {
          failure = { error };
          return true;
        }
      },
      { timeoutMs, everyMs: 1 },
    );
    if (failure) throw failure.error;
    if (!replayed) throw new ReplicaBehindError(lsn, timeoutMs);
  }

  async close(): Promise<void> {
    await Promise.all([this.primary.end(), this.replica.end()]);
  }
}

// The primary knows how far behind each replica is. `pg_stat_replication`
// has one row per connected replica: the WAL positions it has written,
// flushed and replayed, and the time each of those took for recent WAL.
// The times go back to NULL once the replica has caught up and nothing
// is being written, so we read them under load.
/** What `primary` reports about its replica right now, or undefined if none is connected. */
export async function replicationStatus(
  primary: pg.Client,
): Promise<ReplicationStatus | undefined> {
  const { rows } = await primary.query<ReplicationStatus>(`
    select application_name as "name", state, sync_state as "syncState",
           (extract(epoch from write_lag) * 1000)::float8 as "writeLagMs",
           (extract(epoch from flush_lag) * 1000)::float8 as "flushLagMs",
           (extract(epoch from replay_lag) * 1000)::float8 as "replayLagMs",
           pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::float8 as "bytesBehind"
      from pg_stat_replication`);
  return rows[0];
}

/** One row of `pg_stat_replication`, lags in milliseconds (null when idle). */
export interface ReplicationStatus {
  name: string;
  state: string;
  syncState: string;
  writeLagMs: number | null;
  flushLagMs: number | null;
  replayLagMs: number | null;
  /** WAL the primary has written that the replica has not replayed yet. */
  bytesBehind: number;
}

// Redundancy is the other half. When the primary dies, the replica still
// serves reads, but it does not take over by itself: it keeps refusing
// writes and retrying its connection. Someone (an operator, or Patroni)
// has to promote it. `pg_promote()` ends recovery, and the replica starts
// a new timeline as a primary with everything it had replayed.
/** Promotes a replica to primary and resolves once it accepts writes. */
export async function promote(replica: pg.Client): Promise<void> {
  await replica.query("select pg_promote(true, 60)");
  const { rows } = await replica.query<{ recovering: boolean }>(
    "select pg_is_in_recovery() as recovering",
  );
  if (rows[0]!.recovering)
    throw new Error("pg_promote() returned but the server is still a replica: check its logs.");
}

/** A client whose connection errors surface on its queries, never as an uncaught event. */
export async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => {});
  await client.connect();
  return client;
}
