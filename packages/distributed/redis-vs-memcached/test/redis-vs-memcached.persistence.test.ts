import { describe, expect, it } from "@jest/globals";
import { services } from "@playground/kit";
import { AOF_FLAGS, memcachedAfterCrash, redisAfterCrash } from "../src/persistence.js";

// Every test crashes its server, so each asks for one of its own.
describe("persistence across a crash (SIGKILL, then start on the same data directory)", () => {
  it("when Redis runs without persistence, as the kit starts it, and crashes, then every acknowledged write is gone", async () => {
    // Arrange
    await using redis = await services.redis({ dedicated: true });

    // Act
    const [acknowledged] = await redisAfterCrash(redis, "none");

    // Assert
    expect(acknowledged).toEqual({ name: "acknowledged", written: 100, survived: 0 });
  });

  it("when Redis took a snapshot before it crashed, then it comes back with the snapshot but without the writes acknowledged after it", async () => {
    // Arrange
    await using redis = await services.redis({ dedicated: true });

    // Act
    const [inSnapshot, afterSnapshot] = await redisAfterCrash(redis, "snapshot");

    // Assert
    expect(inSnapshot).toEqual({ name: "in the snapshot", written: 100, survived: 100 });
    expect(afterSnapshot).toEqual({ name: "after the snapshot", written: 100, survived: 0 });
  });

  it("when the append-only file is switched on with CONFIG SET only, then Redis boots after a crash without reading it and the acknowledged writes are gone", async () => {
    // Arrange
    await using redis = await services.redis({ dedicated: true });

    // Act
    const [acknowledged] = await redisAfterCrash(redis, "aof switched on at runtime");

    // Assert
    expect(acknowledged).toEqual({ name: "acknowledged", written: 100, survived: 0 });
  });

  it("when Redis is started with the append-only file and fsync always, then every acknowledged write survives a crash", async () => {
    // Arrange
    await using redis = await services.redis({ dedicated: true, args: AOF_FLAGS });

    // Act
    const [acknowledged] = await redisAfterCrash(redis, "aof from startup");

    // Assert
    expect(acknowledged).toEqual({ name: "acknowledged", written: 100, survived: 100 });
  });

  it("when memcached crashes and starts again, then every item is gone", async () => {
    // Arrange
    await using memcached = await services.memcached({ dedicated: true });

    // Act
    const acknowledged = await memcachedAfterCrash(memcached);

    // Assert
    expect(acknowledged).toEqual({ name: "acknowledged", written: 100, survived: 0 });
  });
});
