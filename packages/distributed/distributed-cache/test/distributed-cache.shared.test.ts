import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { services } from "@playground/kit";
import { type Cache, CacheAside } from "../src/distributed-cache.js";
import { LocalCache } from "../src/local-cache.js";
import { MemcachedCluster } from "../src/memcached-cluster.js";
import { type ProductDb, productIds } from "../src/product-db.js";
import { address, productDb, uniqueNamespace } from "./fixtures.js";

// Two instances of the same application, A and B, each with a cache
// client of its own: either both talk to one memcached, or each keeps an
// LRU map in its own memory.
describe("one cache shared by two application instances, or one cache each", () => {
  let products: Awaited<ReturnType<typeof productDb>>;
  let db: ProductDb;
  let memcachedNode: string;
  const clusters: MemcachedCluster[] = [];

  beforeAll(async () => {
    products = await productDb(20, 1);
    db = products.db;
    memcachedNode = address(await services.memcached());
  });

  afterAll(async () => {
    for (const cluster of clusters) await cluster.close();
    await products[Symbol.asyncDispose]();
  });

  async function twoInstances(kind: "shared" | "local") {
    const namespace = uniqueNamespace(kind);
    const cacheFor = async (): Promise<Cache> => {
      if (kind === "local") return new LocalCache();
      const cluster = await new MemcachedCluster([memcachedNode]).connect();
      clusters.push(cluster);
      return cluster;
    };
    const load = (id: string) => db.product(id);
    return [
      new CacheAside(await cacheFor(), load, { namespace, ttlSeconds: 60 }),
      new CacheAside(await cacheFor(), load, { namespace, ttlSeconds: 60 }),
    ] as const;
  }

  async function readAll(app: CacheAside<unknown>, ids: string[]) {
    for (const id of ids) await app.read(id);
  }

  it("when both instances use memcached, then B's reads hit what A's misses filled, and each key costs one query", async () => {
    // Arrange
    const [a, b] = await twoInstances("shared");
    const ids = productIds(20);
    const before = db.queries;

    // Act
    await readAll(a, ids);
    await readAll(b, ids);

    // Assert
    expect(db.queries - before).toBe(20);
    expect(b.stats).toMatchObject({ hits: 20, misses: 0 });
  });

  it("when each instance has its own in-process cache, then each fills it alone, and each key costs one query per instance", async () => {
    // Arrange
    const [a, b] = await twoInstances("local");
    const ids = productIds(20);
    const before = db.queries;

    // Act
    await readAll(a, ids);
    await readAll(b, ids);

    // Assert
    expect(db.queries - before).toBe(40);
    expect(b.stats).toMatchObject({ hits: 0, misses: 20 });
  });

  it("when A writes and invalidates, then B sees the new value through memcached but keeps the old one in its own cache", async () => {
    // Arrange: both instances have read p7 (price 700) into each kind of cache.
    const [sharedA, sharedB] = await twoInstances("shared");
    const [localA, localB] = await twoInstances("local");
    for (const app of [sharedA, sharedB, localA, localB]) await app.read("p7");

    // Act: A's write goes to the database once, and A invalidates its cache.
    await sharedA.write("p7", () => db.setPrice("p7", 777));
    await localA.write("p7", async () => {});

    // Assert
    expect((await sharedB.read("p7")).priceCents).toBe(777);
    expect((await localA.read("p7")).priceCents).toBe(777);
    expect((await localB.read("p7")).priceCents).toBe(700);
  });
});
