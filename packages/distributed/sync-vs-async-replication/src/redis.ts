import { Redis } from "ioredis";

/** A client that reports connection trouble on its commands, and gives up after one retry. */
export function redisClient(url: string): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: 1, retryStrategy: () => null });
  client.on("error", () => {});
  return client;
}

/**
 * Closes `client`. One whose server died is closed already; calling
 * `disconnect()` on it would leave ioredis holding a 2 s timer.
 */
export function closeRedis(client: Redis): void {
  if (client.status !== "end") client.disconnect();
}

/**
 * Resolves once a write on `primary` is acknowledged by a replica. A replica
 * reports its link up once it has loaded the primary's snapshot, which can
 * be before the primary streams commands to it.
 */
export async function untilStreaming(primary: Redis, timeoutMs = 10_000): Promise<void> {
  await primary.set("playground:streaming", Date.now());
  if ((await primary.wait(1, timeoutMs)) < 1)
    throw new Error(
      `No replica acknowledged a write within ${timeoutMs} ms: check INFO replication.`,
    );
}
