import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { poll, services } from "@playground/kit";
import { Redis } from "ioredis";
import { CacheAside } from "../src/distributed-cache.js";
import { LeasedCache } from "../src/leased-cache.js";
import type { MemcachedCluster } from "../src/memcached-cluster.js";
import type { ProductDb } from "../src/product-db.js";
import { productDb, sharedMemcached, uniqueNamespace } from "./fixtures.js";

describe("stale data in a shared cache", () => {
  let products: Awaited<ReturnType<typeof productDb>>;
  let db: ProductDb;
  let memcached: MemcachedCluster & AsyncDisposable;
  let redis: Redis;

  beforeAll(async () => {
    products = await productDb(10, 5);
    db = products.db;
    memcached = await sharedMemcached();
    redis = new Redis((await services.redis()).url);
  });

  afterAll(async () => {
    redis.disconnect();
    await memcached[Symbol.asyncDispose]();
    await products[Symbol.asyncDispose]();
  });

  const load = (id: string) => db.product(id);

  it("when the database changes and nobody invalidates, then the cache keeps serving the old value", async () => {
    // Arrange
    const cached = new CacheAside(memcached, load, {
      namespace: uniqueNamespace("stale"),
      ttlSeconds: 60,
    });
    await cached.read("p1");

    // Act
    await db.setPrice("p1", 111);
    const reads = [await cached.read("p1"), await cached.read("p1")];

    // Assert
    expect(reads.map((p) => p.priceCents)).toEqual([100, 100]);
    expect((await db.product("p1")).priceCents).toBe(111);
  });

  it("when the TTL runs out, then the next read loads the new value", async () => {
    // Arrange
    const cached = new CacheAside(memcached, load, {
      namespace: uniqueNamespace("ttl"),
      ttlSeconds: 1,
    });
    await cached.read("p2");
    await db.setPrice("p2", 222);
    const staleRead = await cached.read("p2");

    // Act: memcached forgets the entry one to two seconds after it was set.
    const refreshed = await poll(async () => (await cached.read("p2")).priceCents === 222, {
      timeoutMs: 10_000,
      everyMs: 100,
    });

    // Assert
    expect(staleRead.priceCents).toBe(200);
    expect(refreshed).toBe(true);
  });

  it("when the writer deletes the key after its update, then the next read loads the new value", async () => {
    // Arrange
    const cached = new CacheAside(memcached, load, {
      namespace: uniqueNamespace("invalidate"),
      ttlSeconds: 60,
    });
    await cached.read("p3");

    // Act
    await cached.write("p3", () => db.setPrice("p3", 333));
    const read = await cached.read("p3");

    // Assert
    expect(read.priceCents).toBe(333);
    expect(cached.stats.loads).toBe(2);
  });

  it("when a slow reader fills the cache after the writer's delete, then the old value stays cached though the database has the new one", async () => {
    // Arrange: the reader has loaded price 400; the writer updates and
    // deletes in the gap before the reader stores what it loaded.
    const namespace = uniqueNamespace("race");
    const writer = new CacheAside(memcached, load, { namespace, ttlSeconds: 60 });
    const reader = new CacheAside(memcached, load, {
      namespace,
      ttlSeconds: 60,
      beforeFill: () => writer.write("p4", () => db.setPrice("p4", 444)),
    });

    // Act
    await reader.read("p4");
    const later = [];
    for (let i = 0; i < 5; i++) later.push(await writer.read("p4"));

    // Assert: five reads after the write, five stale answers.
    expect(later.filter((p) => p.priceCents === 400)).toHaveLength(5);
    expect((await db.product("p4")).priceCents).toBe(444);
  });

  it("when the writer's delete lands while a lease holder is loading, then its old value is refused and the next read loads the new one", async () => {
    // Arrange: the same interleaving, on the leased cache.
    const namespace = uniqueNamespace("lease-race");
    const writer = new LeasedCache(redis, load, { namespace, ttlSeconds: 60 });
    const reader = new LeasedCache(redis, load, {
      namespace,
      ttlSeconds: 60,
      beforeFill: () => writer.write("p5", () => db.setPrice("p5", 555)),
    });

    // Act
    const first = await reader.read("p5");
    const later = [];
    for (let i = 0; i < 5; i++) later.push(await writer.read("p5"));

    // Assert: the reader still got the value it read, but did not cache it.
    expect(first.priceCents).toBe(500);
    expect(reader.stats.refusedFills).toBe(1);
    expect(later.map((p) => p.priceCents)).toEqual([555, 555, 555, 555, 555]);
    expect(writer.stats.loads).toBe(1);
  });

  it("when a write does not invalidate, then the leased cache serves the old value too, until the TTL", async () => {
    // Arrange
    const cached = new LeasedCache(redis, load, {
      namespace: uniqueNamespace("lease-no-delete"),
      ttlSeconds: 60,
    });
    await cached.read("p6");

    // Act
    await db.setPrice("p6", 666);
    const read = await cached.read("p6");

    // Assert: a lease guards the fill, not the write path.
    expect(read.priceCents).toBe(600);
  });
});
