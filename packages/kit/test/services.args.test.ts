import { describe, expect, it } from "@jest/globals";
import { Redis } from "ioredis";
import { services } from "../src/index.js";

describe("server flags", () => {
  it("when redis is asked for with extra flags, then a server of its own runs with them, also after a restart", async () => {
    // Arrange
    await using redis = await services.redis({ args: ["--maxmemory", "7mb"] });
    const maxmemory = async () => {
      const client = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
      await client.connect();
      try {
        return (await client.config("GET", "maxmemory")) as string[];
      } finally {
        client.disconnect();
      }
    };

    // Act
    const before = await maxmemory();
    await redis.restart();
    const after = await maxmemory();

    // Assert: never the shared server the global setup may have started.
    expect(redis.url).not.toBe(process.env.PLAYGROUND_REDIS_URL);
    expect(before).toEqual(["maxmemory", String(7 * 1024 * 1024)]);
    expect(after).toEqual(before);
  });

  it("when another service is asked for with flags, then the kit says flags are for redis only", async () => {
    await expect(services.memcached({ args: ["-m", "8"] })).rejects.toThrow(/redis only/);
  });
});
