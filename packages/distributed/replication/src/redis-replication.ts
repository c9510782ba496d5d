import { Redis } from "ioredis";

// Redis replicates the same way in spirit: the replica (started with
// `--replicaof`) takes a snapshot of the primary, then receives the stream
// of write commands and applies them. It is asynchronous: the primary
// answers the client first and sends the command on afterwards.

/** A client that reports connection trouble on its commands, and gives up after one retry. */
export function redisClient(url: string): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: 1, retryStrategy: () => null });
  client.on("error", () => {});
  return client;
}

// A replica that reports `master_link_status:up` has loaded the primary's
// snapshot, but the primary may not have started streaming commands to it
// yet: it notices the snapshot is done on its next cron tick. A write
// that `WAIT` sees acknowledged proves the stream is flowing.
/** Resolves once a write on `primary` is acknowledged by a replica; rejects after `timeoutMs`. */
export async function untilStreaming(primary: Redis, timeoutMs = 10_000): Promise<void> {
  await primary.set("playground:streaming", Date.now());
  const replicas = await primary.wait(1, timeoutMs);
  if (replicas < 1)
    throw new Error(
      `No replica acknowledged a write within ${timeoutMs} ms: check INFO replication.`,
    );
}

/**
 * Closes `client`. One whose server died is closed already; calling
 * `disconnect()` on it would leave ioredis holding a 2 s timer.
 */
export function closeRedis(client: Redis): void {
  if (client.status !== "end") client.disconnect();
}

/** `master` or `slave`, as the server itself says (`ROLE`). */
export async function roleOf(client: Redis): Promise<string> {
  const [role] = (await client.role()) as [string, ...unknown[]];
  return role;
}

// A Redis replica refuses writes with `READONLY` (unless configured with
// `replica-read-only no`, which lets it drift from its primary). When the
// primary dies, the replica keeps serving what it has and keeps trying to
// reconnect; `REPLICAOF NO ONE` makes it a primary. Redis Sentinel or
// Redis Cluster is what issues that command in production.
/** Turns a Redis replica into a primary that accepts writes. */
export async function promoteRedis(replica: Redis): Promise<void> {
  await replica.replicaof("NO", "ONE");
  const role = await roleOf(replica);
  if (role !== "master")
    throw new Error(`REPLICAOF NO ONE answered OK but ROLE says ${role}: check the server's log.`);
}
