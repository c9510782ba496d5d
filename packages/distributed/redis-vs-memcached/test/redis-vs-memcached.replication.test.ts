import { describe, expect, it } from "@jest/globals";
import { services } from "@playground/kit";
import { connectRedis, quitRedis, uniquePrefix } from "../src/clients.js";

describe("replication", () => {
  it("when the Redis replica acknowledges a write, then it serves that write and refuses writes of its own", async () => {
    // Arrange
    await using pair = await services.redisReplicated();
    const primary = connectRedis(pair.primary.url);
    const replica = connectRedis(pair.replica.url);
    const key = uniquePrefix("session");

    // Act
    await primary.set(key, "alice");
    const acknowledgedBy = await primary.wait(1, 10_000);
    const onReplica = await replica.get(key);
    const writeOnReplica = replica.set(key, "mallory");

    // Assert
    expect(acknowledgedBy).toBe(1);
    expect(onReplica).toBe("alice");
    await expect(writeOnReplica).rejects.toThrow(/^READONLY/);
    quitRedis(primary);
    quitRedis(replica);
  });
});
