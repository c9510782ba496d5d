import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { type ReplicatedHandle, services } from "@playground/kit";
import type { Redis } from "ioredis";
import { closeRedis, redisClient, untilStreaming } from "../src/redis.js";
import { uniqueName } from "./fixtures.js";

// Redis replication is asynchronous. WAIT makes a client wait, after its
// write, until N replicas have acknowledged it or a timeout passes; it
// returns how many did. It does not undo anything.
describe("Redis WAIT: semi-synchronous replication", () => {
  let pair: ReplicatedHandle;
  let primary: Redis;
  let replica: Redis;

  beforeEach(async () => {
    pair = await services.redisReplicated();
    primary = redisClient(pair.primary.url);
    replica = redisClient(pair.replica.url);
    await untilStreaming(primary);
  });

  afterEach(async () => {
    if (primary) closeRedis(primary);
    if (replica) closeRedis(replica);
    await pair?.[Symbol.asyncDispose]();
  });

  it("when the replication link is partitioned, then WAIT reports 0 replicas after its timeout, and 1 once the link heals", async () => {
    // Arrange
    const key = uniqueName("order");
    pair.link!.blackhole();

    // Act
    await primary.set(key, "paid");
    const during = await primary.wait(1, 300);
    pair.link!.restore();
    const after = await primary.wait(1, 10_000);

    // Assert
    expect(during).toBe(0);
    expect(after).toBe(1);
    expect(await replica.get(key)).toBe("paid");
  });

  it("when WAIT reports 0 replicas, then the write still stands on the primary: WAIT does not roll back", async () => {
    // Arrange
    const key = uniqueName("order");
    pair.link!.blackhole();

    // Act
    await primary.set(key, "paid");
    const acknowledgedBy = await primary.wait(1, 300);
    const onPrimary = await primary.get(key);
    pair.link!.restore();

    // Assert
    expect(acknowledgedBy).toBe(0);
    expect(onPrimary).toBe("paid");
  });

  it("when the primary dies after WAIT reported 0 replicas, then the promoted replica does not have the write", async () => {
    // Arrange
    const key = uniqueName("order");
    await primary.set(`${key}:before`, "paid");
    expect(await primary.wait(1, 10_000)).toBe(1);
    pair.link!.blackhole();
    await primary.set(key, "paid");
    const acknowledgedBy = await primary.wait(1, 300);

    // Act
    await pair.primary.kill();
    await replica.replicaof("NO", "ONE");

    // Assert
    expect(acknowledgedBy).toBe(0);
    expect(await replica.get(`${key}:before`)).toBe("paid");
    expect(await replica.get(key)).toBeNull();
  });
});
