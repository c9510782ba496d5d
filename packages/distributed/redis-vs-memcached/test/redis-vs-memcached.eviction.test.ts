import { describe, expect, it } from "@jest/globals";
import { services } from "@playground/kit";
import { connectMemcached, connectRedis, quitRedis, uniquePrefix } from "../src/clients.js";
import { fillRedis, floodMemcached, limitRedis } from "../src/eviction.js";

// Filling a server evicts other tests' keys and changing its limits changes
// theirs, so every test here has a server of its own.

/** 1,000 items of 100 KB (about 100 MB) into a memcached of 64 MB, after 500 small ones. */
async function floodedMemcached() {
  await using memcached = await services.memcached({ dedicated: true });
  const client = connectMemcached(memcached.url);
  try {
    return await floodMemcached(client, uniquePrefix("flood"));
  } finally {
    client.shutdown();
  }
}

/** 1,000 values of 10 KB (about 10 MB) into a Redis of our own, limited as asked. */
async function filledRedis(limit?: { maxmemory: string; policy: string }) {
  await using server = await services.redis({ dedicated: true });
  const redis = connectRedis(server.url);
  try {
    if (limit) await limitRedis(redis, limit.maxmemory, limit.policy);
    return await fillRedis(redis, uniquePrefix("fill"));
  } finally {
    quitRedis(redis);
  }
}

describe("memcached under memory pressure", () => {
  it("when memcached's memory is full, then every set still succeeds and old items are evicted", async () => {
    // Arrange, Act
    const flood = await floodedMemcached();

    // Assert
    expect(flood.evictions).toBeGreaterThan(200);
    expect(flood.oldSurvivors).toBe(0);
  });

  it("when large items flood memcached, then small items survive although they are older, because each slab class evicts on its own", async () => {
    // Arrange, Act
    const flood = await floodedMemcached();

    // Assert
    expect(flood.evictions).toBeGreaterThan(200);
    expect(flood.smallSurvivors).toBe(500);
  });

  it("when some items keep being read while memcached evicts, then they survive and unread items of the same age do not", async () => {
    // Arrange, Act
    const flood = await floodedMemcached();

    // Assert
    expect(flood.readSurvivors).toBe(10);
    expect(flood.oldSurvivors).toBe(0);
  });
});

describe("Redis under memory pressure", () => {
  it("when Redis has no maxmemory, as it ships, then it neither evicts nor refuses: it keeps every key", async () => {
    // Arrange, Act
    const fill = await filledRedis();

    // Assert
    expect(fill).toMatchObject({ stored: 1000, refused: 0, evicted: 0, kept: 1000 });
  });

  it("when Redis has a maxmemory and the default noeviction policy, then writes fail with OOM errors and no key is evicted", async () => {
    // Arrange, Act
    const fill = await filledRedis({ maxmemory: "4mb", policy: "noeviction" });

    // Assert
    expect(fill.refused).toBeGreaterThan(500);
    expect(fill.firstRefusal).toMatch(/^OOM command not allowed when used memory > 'maxmemory'/);
    expect(fill.evicted).toBe(0);
    expect(fill.kept).toBe(fill.stored);
  });

  it("when Redis has a maxmemory and allkeys-lru, then every write succeeds and keys are evicted", async () => {
    // Arrange, Act
    const fill = await filledRedis({ maxmemory: "4mb", policy: "allkeys-lru" });

    // Assert
    expect(fill.refused).toBe(0);
    expect(fill.evicted).toBeGreaterThan(500);
    expect(fill.kept).toBeLessThan(500);
  });
});
