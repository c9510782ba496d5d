import { describe, expect, it } from "@jest/globals";
import { services } from "@playground/kit";
import { connectMemcached, connectRedis, quitRedis, uniquePrefix } from "../src/clients.js";
import { redisMaxString, storeInMemcached, storeInRedis } from "../src/item-size.js";

const MiB = 1024 * 1024;

describe("how large one value may be", () => {
  it("when a value of 1 MiB meets memcached's 1 MB item limit, then memcached refuses it and takes one of 1,000,000 bytes", async () => {
    // Arrange
    const memcached = connectMemcached((await services.memcached()).url);
    const key = uniquePrefix("big");

    // Act
    const oneMiB = await storeInMemcached(memcached, key, MiB);
    const underLimit = await storeInMemcached(memcached, key, 1_000_000);
    await memcached.delete(key);
    memcached.shutdown();

    // Assert
    expect(oneMiB).toBe("SERVER_ERROR object too large for cache");
    expect(underLimit).toBe("STORED");
  });

  it("when a 2 MB value goes to Redis, then it is stored, and Redis accepts strings up to 512 MB", async () => {
    // Arrange
    const redis = connectRedis((await services.redis()).url);
    const key = uniquePrefix("big");

    // Act
    const reply = await storeInRedis(redis, key, 2 * MiB);
    const stored = await redis.strlen(key);
    const limit = await redisMaxString(redis);
    await redis.del(key);
    quitRedis(redis);

    // Assert
    expect(reply).toBe("OK");
    expect(stored).toBe(2 * MiB);
    expect(limit).toBe(512 * MiB);
  });
});
