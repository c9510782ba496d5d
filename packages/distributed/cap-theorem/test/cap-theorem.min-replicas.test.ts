import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { type ReplicatedHandle, services, waitUntil } from "@playground/kit";
import { Redis } from "ioredis";

// Redis's nearest thing to a CP switch: refuse writes unless at least
// `min-replicas-to-write` replicas acknowledged the stream within the last
// `min-replicas-max-lag` seconds. Replicas acknowledge once a second.
describe("Redis min-replicas-to-write during a partition", () => {
  let pair: ReplicatedHandle;
  let primary: Redis;
  let replica: Redis;

  beforeAll(async () => {
    pair = await services.redisReplicated();
    primary = new Redis(pair.primary.url);
    replica = new Redis(pair.replica.url);
    await primary.config("SET", "min-replicas-to-write", "1");
    await primary.config("SET", "min-replicas-max-lag", "2");
    // The primary recounts its good replicas once a second; until it has,
    // it refuses writes even with the replica up.
    await waitUntil(
      "the primary counting its replica as good",
      async () => /min_slaves_good_slaves:1/.test(await primary.info("replication")),
      { everyMs: 50 },
    );
  });

  afterAll(async () => {
    primary?.disconnect();
    replica?.disconnect();
    await pair?.[Symbol.asyncDispose]();
  });

  it("when Redis needs one replica to write and the replica is partitioned away, then it accepts writes until the replica's lag passes min-replicas-max-lag, and refuses them after", async () => {
    // Arrange
    const key = `min-replicas:${crypto.randomUUID()}`;
    await primary.rpush(key, "before");
    await primary.wait(1, 5_000);
    pair.link!.blackhole();

    // Act: write until the primary refuses (bounded: it must within a few seconds).
    const accepted: string[] = [];
    let refusal: Error | undefined;
    const deadline = performance.now() + 15_000;
    while (!refusal && performance.now() < deadline) {
      const value = `during ${accepted.length}`;
      try {
        await primary.rpush(key, value);
        accepted.push(value);
      } catch (error) {
        refusal = error as Error;
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const onReplica = await replica.lrange(key, 0, -1);
    pair.link!.restore();

    // Assert
    expect(refusal?.message).toMatch(/^NOREPLICAS/);
    expect(accepted.length).toBeGreaterThanOrEqual(1);
    expect(onReplica).toEqual(["before"]);
  });
});
