import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import pg from "pg";
import { ServiceStartError } from "../errors.js";
import { poll } from "../helpers/wait.js";
import type { ServiceHandle } from "./types.js";

// What both backends (local and docker) do to make a replicated pair, and to
// prove it replicates before they hand it over: a pair that resolves too
// early makes a test's first claim about replication fail for no reason.

/** The standby's name on the primary; `synchronous_standby_names` refers to it. */
export const PG_REPLICA_NAME = "replica1";

/**
 * Settings every PostgreSQL standby gets. When its WAL stream ends (the link
 * was partitioned and heals, or a promotion is under way), a standby waits
 * `wal_retrieve_retry_interval` before it looks for WAL again. The default,
 * 5 s, made a reconnect or a promotion sometimes take 5.2 s instead of a
 * moment. The value reads the same in `postgresql.conf` and after `-c`.
 */
export const PG_STANDBY_SETTINGS = { wal_retrieve_retry_interval: "200ms" } as const;

/** How many of a server's last log lines a failed check shows. */
const LOG_LINES = 15;

async function logTail(server: ServiceHandle): Promise<string> {
  const text = await server.logs().catch(() => "");
  return text.trimEnd().split("\n").slice(-LOG_LINES).join("\n");
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Resolves once the primary's `pg_stat_replication` shows the standby
 * streaming, and with `sync`, as the synchronous standby; a commit on the
 * primary then waits for it. Throws with what it last saw, and the
 * replica's last log lines, if that does not happen within `timeoutMs`.
 */
export async function waitForPostgresStreaming({
  primary,
  replica,
  sync,
  timeoutMs,
}: {
  primary: ServiceHandle;
  replica: ServiceHandle;
  sync: boolean;
  timeoutMs: number;
}): Promise<void> {
  const client = new pg.Client({ connectionString: primary.url });
  client.on("error", () => {});
  await client.connect();
  let seen = "no row for it in pg_stat_replication";
  try {
    const streaming = await poll(
      async () => {
        try {
          const { rows } = await client.query(
            "select state, sync_state from pg_stat_replication where application_name = $1",
            [PG_REPLICA_NAME],
          );
          const row = rows[0];
          if (!row) return false;
          seen = `state ${row.state}, sync_state ${row.sync_state}`;
          return row.state === "streaming" && (!sync || row.sync_state === "sync");
        } catch (err) {
          seen = describe(err);
          return false;
        }
      },
      { timeoutMs },
    );
    if (!streaming) {
      throw new ServiceStartError(
        `The PostgreSQL replica (${PG_REPLICA_NAME}) was not streaming${sync ? " as the sync standby" : ""} within ${timeoutMs} ms (last seen: ${seen}). The replica's last log lines:\n${await logTail(replica)}`,
      );
    }
  } finally {
    await client.end().catch(() => {});
  }
}

/** How long one `WAIT` may block; the deadline may cut it shorter. */
const WAIT_MS = 10_000;

/**
 * Resolves once a write on the primary is known to have reached the
 * replica: SET a probe key (and DEL it, so the pair starts empty), then
 * `WAIT 1` must answer 1. A replica whose link is up may still be loading
 * its initial sync, and until it has, WAIT answers 0; so this, not
 * `master_link_status:up`, is the proof that a test's first WAIT will pass.
 * Retries until `timeoutMs`, then throws with the last answer and the
 * replica's last log lines.
 */
export async function waitForRedisReplication({
  primary,
  replica,
  timeoutMs,
}: {
  primary: ServiceHandle;
  replica: ServiceHandle;
  timeoutMs: number;
}): Promise<void> {
  const client = new Redis(primary.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  client.on("error", () => {});
  const key = `playground:replication-probe:${randomUUID()}`;
  const deadline = performance.now() + timeoutMs;
  let seen = "no answer yet";
  try {
    const acknowledged = await poll(
      async () => {
        try {
          await client.set(key, "probe");
          await client.del(key);
          // WAIT 0 would block for ever: never ask for less than 1 ms.
          const waitMs = Math.max(1, Math.min(WAIT_MS, Math.ceil(deadline - performance.now())));
          const replicas = await client.wait(1, waitMs);
          seen = `WAIT 1 ${waitMs} answered ${replicas}`;
          return replicas >= 1;
        } catch (err) {
          seen = describe(err);
          return false;
        }
      },
      { timeoutMs, everyMs: 100 },
    );
    if (!acknowledged) {
      throw new ServiceStartError(
        `The Redis replica did not acknowledge a write on the primary within ${timeoutMs} ms (last seen: ${seen}). The replica's last log lines:\n${await logTail(replica)}`,
      );
    }
  } finally {
    client.disconnect();
  }
}
