import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { services } from "@playground/kit";
import { Redis } from "ioredis";
import { CacheAside, type CacheAsideOptions } from "../src/distributed-cache.js";
import { LeasedCache } from "../src/leased-cache.js";
import { MemcachedCluster } from "../src/memcached-cluster.js";
import type { ProductDb } from "../src/product-db.js";
import { address, productDb, uniqueNamespace } from "./fixtures.js";

// A hot key that is not in the cache, because it expired or was just
// invalidated, and 20 requests for it at the same moment. The query takes
// at least 50 ms, far longer than a cache round trip, so every request
// has missed before the first load is done.
const REQUESTS = 20;

describe("a stampede on a hot key", () => {
  let products: Awaited<ReturnType<typeof productDb>>;
  let db: ProductDb;
  const clients: { close(): unknown }[] = [];
  let memcachedNode: string;
  let redisUrl: string;

  beforeAll(async () => {
    products = await productDb(3, 50);
    db = products.db;
    memcachedNode = address(await services.memcached());
    redisUrl = (await services.redis()).url;
  });

  afterAll(async () => {
    for (const client of clients) await client.close();
    await products[Symbol.asyncDispose]();
  });

  /** One application instance: its own connection to memcached, its own process state. */
  async function instance(options: CacheAsideOptions) {
    const cluster = await new MemcachedCluster([memcachedNode]).connect();
    clients.push(cluster);
    return new CacheAside(cluster, (id) => db.product(id), options);
  }

  async function leasedInstance(namespace: string) {
    const redis = new Redis(redisUrl);
    await redis.ping();
    clients.push({ close: () => redis.disconnect() });
    return new LeasedCache(redis, (id) => db.product(id), { namespace, ttlSeconds: 60 });
  }

  it("when 20 requests miss the same key at once, then all 20 run the query", async () => {
    // Arrange
    const app = await instance({ namespace: uniqueNamespace("herd"), ttlSeconds: 60 });
    const before = db.queries;

    // Act
    const reads = await Promise.all(Array.from({ length: REQUESTS }, () => app.read("p1")));

    // Assert
    expect(db.queries - before).toBe(REQUESTS);
    expect(reads.every((p) => p.priceCents === 100)).toBe(true);
  });

  it("when the instance coalesces its misses with single-flight, then one query serves all 20", async () => {
    // Arrange
    const app = await instance({
      namespace: uniqueNamespace("flight"),
      ttlSeconds: 60,
      singleFlight: true,
    });
    const before = db.queries;

    // Act
    const reads = await Promise.all(Array.from({ length: REQUESTS }, () => app.read("p1")));

    // Assert
    expect(db.queries - before).toBe(1);
    expect(app.stats).toMatchObject({ misses: REQUESTS, loads: 1 });
    expect(reads.every((p) => p.priceCents === 100)).toBe(true);
  });

  it("when two instances each coalesce their own misses, then the database still sees one query per instance", async () => {
    // Arrange
    const namespace = uniqueNamespace("flight-two");
    const apps = [
      await instance({ namespace, ttlSeconds: 60, singleFlight: true }),
      await instance({ namespace, ttlSeconds: 60, singleFlight: true }),
    ];
    const before = db.queries;

    // Act: ten requests land on each instance.
    await Promise.all(Array.from({ length: REQUESTS }, (_, i) => apps[i % 2]!.read("p2")));

    // Assert
    expect(db.queries - before).toBe(2);
  });

  it("when two instances share a Redis lease, then one query serves all 20 requests across both", async () => {
    // Arrange
    const namespace = uniqueNamespace("lease");
    const apps = [await leasedInstance(namespace), await leasedInstance(namespace)];
    const before = db.queries;

    // Act
    const reads = await Promise.all(
      Array.from({ length: REQUESTS }, (_, i) => apps[i % 2]!.read("p3")),
    );

    // Assert: one holder loaded; the other 19 waited and read its fill.
    expect(db.queries - before).toBe(1);
    expect(apps[0]!.stats.loads + apps[1]!.stats.loads).toBe(1);
    expect(apps[0]!.stats.waits + apps[1]!.stats.waits).toBeGreaterThan(0);
    expect(reads.every((p) => p.priceCents === 300)).toBe(true);
  });
});
