import { poll, type ReplicatedHandle } from "@playground/kit";
import type pg from "pg";
import { History, type Verdict } from "./history.js";
import { connect, promote, syncRepWaiters, untilReplicated } from "./postgres.js";
import { startWriteLoad } from "./workload.js";

// Synchronous and asynchronous replication differ in one thing: when the
// primary tells the client "committed". Neither writes to the primary and
// the standby "simultaneously": the primary writes its own WAL first, then:
//
// - asynchronous: answers the client at once; the WAL streams to the
//   standby afterwards, so the standby may be behind when the primary dies;
// - synchronous (`synchronous_standby_names = 'FIRST 1 (replica1)'`): waits,
//   after its own commit, until the standby acknowledges the commit's WAL,
//   and only then answers. *What* the standby acknowledges is set by
//   `synchronous_commit`: `remote_write` (handed to its OS), `on` (flushed
//   to its disk, the default), or `remote_apply` (replayed, so visible to
//   reads there). `local` and `off` skip the wait, per transaction.

/** How long each of `commits` single-row autocommitted INSERTs into `table` took, in ms. */
export async function commitLatencies(
  client: pg.Client,
  table: string,
  commits: number,
): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < commits; i++) {
    const start = performance.now();
    await client.query(`insert into ${table} (id) values (default)`);
    latencies.push(performance.now() - start);
  }
  return latencies;
}

export interface CrashOptions {
  /** The table to create and write to; unique per experiment. */
  table: string;
  /** Concurrent writers, each on its own connection. */
  writers: number;
  /** Acknowledged writes to collect before the partition. */
  healthyAcks: number;
  /** End the partition once this many writes sent during it were acknowledged… */
  partitionAcks: number;
  /** …or once it has lasted this long, whichever comes first. */
  partitionMs: number;
  /** Narration: called at each step. */
  onStep?: (step: string, detail: string) => void;
}

export interface CrashReport {
  history: History;
  /** The whole history against the promoted replica. */
  verdict: Verdict;
  /** Only the writes sent while the replica was cut off. */
  duringPartition: Verdict;
  /** Writers waiting in `SyncRep` just before the crash. */
  waitingInSyncRep: number;
  partitionHeldMs: number;
  /** How long `pg_promote()` took. */
  promotedInMs: number;
}

/**
 * The experiment that tells the two apart: write under load, cut the
 * replica off, crash the primary, promote the replica, and count the
 * acknowledged writes it does not have.
 */
export async function partitionCrashFailover(
  pair: ReplicatedHandle,
  options: CrashOptions,
): Promise<CrashReport> {
  const step = options.onStep ?? (() => {});
  const { table } = options;
  const primary = await connect(pair.primary.url);
  const replica = await connect(pair.replica.url);
  try {
    await primary.query(`create table ${table} (id int primary key)`);
    await untilReplicated(replica, table);

    // A steady load first, with the replica keeping up.
    const history = new History();
    const load = await startWriteLoad(pair.primary.url, table, history, options);
    await poll(() => history.acknowledged() >= options.healthyAcks, {
      timeoutMs: 30_000,
      everyMs: 1,
    });
    step("healthy", `${history.acknowledged()} writes acknowledged, the replica keeping up`);

    // Now we cut the replication link, and only it: clients still reach the
    // primary. Every write sent from here on is recorded as "partitioned".
    // Its WAL cannot reach the replica, whatever the mode.
    pair.link!.blackhole();
    history.phase = "partitioned";
    const partitionedAt = performance.now();
    await poll(() => history.acknowledged("partitioned") >= options.partitionAcks, {
      timeoutMs: options.partitionMs,
      everyMs: 1,
    });
    const partitionHeldMs = performance.now() - partitionedAt;

    // Async has kept acknowledging. Sync has not: each writer's commit is
    // durable on the primary but waits for an acknowledgement that cannot
    // come, and `pg_stat_activity` shows it waiting in `SyncRep`.
    const waitingInSyncRep = await syncRepWaiters(primary);
    step(
      "partitioned",
      `in ${Math.round(partitionHeldMs)} ms, ${history.acknowledged("partitioned")} of the ` +
        `${history.sent("partitioned")} writes sent were acknowledged; ` +
        `${waitingInSyncRep} writers waiting in SyncRep`,
    );

    // The primary crashes: SIGKILL, no goodbye. Writes in flight end with
    // a dead connection, so their fate is unknown, not failed.
    await pair.primary.kill();
    await load.done;
    step(
      "primary killed",
      `${history.sent()} writes sent in all, ${history.acknowledged()} acknowledged`,
    );

    // Failover: the replica becomes the primary with what it had.
    const promoteStart = performance.now();
    await promote(replica);
    const promotedInMs = performance.now() - promoteStart;
    const { rows } = await replica.query<{ id: number }>(`select id from ${table}`);
    const present = new Set(rows.map((row) => row.id));
    step("replica promoted", `in ${Math.round(promotedInMs)} ms; ${present.size} rows survive`);

    return {
      history,
      verdict: history.check(present),
      duringPartition: history.check(present, "partitioned"),
      waitingInSyncRep,
      partitionHeldMs,
      promotedInMs,
    };
  } finally {
    await Promise.all([primary.end(), replica.end()]);
  }
}
