import { describe, expect, it } from "@jest/globals";
import { services } from "@playground/kit";
import { CacheAside } from "../src/distributed-cache.js";
import { MemcachedCluster } from "../src/memcached-cluster.js";
import { productIds } from "../src/product-db.js";
import { address, productDb, sharedMemcached, uniqueNamespace } from "./fixtures.js";

describe("cache-aside in front of PostgreSQL", () => {
  it("when a hot key is read 50 times, then the database sees 1 query with the cache and 50 without", async () => {
    // Arrange
    await using products = await productDb(5, 5);
    await using memcached = await sharedMemcached();
    const cached = new CacheAside(memcached, (id) => products.db.product(id), {
      namespace: uniqueNamespace("hot"),
      ttlSeconds: 60,
    });

    // Act
    const reads = [];
    for (let i = 0; i < 50; i++) reads.push(await cached.read("p3"));
    const withCache = products.db.queries;
    for (let i = 0; i < 50; i++) reads.push(await products.db.product("p3"));
    const withoutCache = products.db.queries - withCache;

    // Assert
    expect(withCache).toBe(1);
    expect(withoutCache).toBe(50);
    expect(cached.stats).toMatchObject({ hits: 49, misses: 1, loads: 1 });
    expect(new Set(reads.map((p) => p.priceCents))).toEqual(new Set([300]));
  });

  it("when many keys are read, then the database sees one query per distinct key", async () => {
    // Arrange
    await using products = await productDb(20, 1);
    await using memcached = await sharedMemcached();
    const cached = new CacheAside(memcached, (id) => products.db.product(id), {
      namespace: uniqueNamespace("many"),
      ttlSeconds: 60,
    });
    const ids = productIds(20);

    // Act: every key five times, in a shuffled order.
    const order = [...ids, ...ids, ...ids, ...ids, ...ids].sort(() => Math.random() - 0.5);
    for (const id of order) await cached.read(id);

    // Assert
    expect(products.db.queries).toBe(20);
    expect(cached.stats.hits).toBe(80);
  });

  it("when the only cache server is killed, then reads fall back to the database and still answer", async () => {
    // Arrange
    await using products = await productDb(10, 1);
    await using server = await services.memcached({ dedicated: true });
    const cluster = await new MemcachedCluster([address(server)]).connect();
    const cached = new CacheAside(cluster, (id) => products.db.product(id), {
      namespace: uniqueNamespace("down"),
      ttlSeconds: 60,
    });
    const ids = productIds(10);
    for (const id of ids) await cached.read(id);
    const before = products.db.queries;

    // Act
    await server.kill();
    const after = await Promise.all(ids.map((id) => cached.read(id)));
    await cluster.close();

    // Assert
    expect(after.map((p) => p.id)).toEqual(ids);
    expect(products.db.queries - before).toBe(10);
    expect(cached.stats.cacheErrors).toBeGreaterThanOrEqual(10);
    expect(cluster.ejected).toEqual([address(server)]);
  });
});
