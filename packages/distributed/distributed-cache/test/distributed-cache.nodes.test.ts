import { describe, expect, it } from "@jest/globals";
import { services } from "@playground/kit";
import { CacheAside } from "../src/distributed-cache.js";
import { MemcachedCluster, type Placement } from "../src/memcached-cluster.js";
import { productIds } from "../src/product-db.js";
import { address, productDb, uniqueNamespace } from "./fixtures.js";

const KEYS = 300;

// Three memcached servers of our own, a warm cache of 300 products spread
// over them, then a SIGKILL of the second server and one more pass over
// every key. Reads are sequential, so the first read that reaches the dead
// node ejects it and every later read sees the placement without it.
async function killOneOfThree(placement: Placement) {
  const servers = await Promise.all([1, 2, 3].map(() => services.memcached({ dedicated: true })));
  await using products = await productDb(KEYS, 1);
  const cluster = new MemcachedCluster(servers.map(address), placement);
  try {
    await cluster.connect();
    const cached = new CacheAside(cluster, (id) => products.db.product(id), {
      namespace: uniqueNamespace(placement),
      ttlSeconds: 300,
    });
    const ids = productIds(KEYS);
    for (const id of ids) await cached.read(id);
    const ownerBefore = new Map(ids.map((id) => [id, cluster.nodeFor(cached.key(id))]));
    const victim = address(servers[1]!);

    await servers[1]!.kill();
    const loadsBefore = products.db.queries;
    const missed = new Set<string>();
    const prices: number[] = [];
    for (const id of ids) {
      const loads = products.db.queries;
      prices.push((await cached.read(id)).priceCents);
      if (products.db.queries > loads) missed.add(id);
    }

    const onVictim = ids.filter((id) => ownerBefore.get(id) === victim);
    const onSurvivors = ids.filter((id) => ownerBefore.get(id) !== victim);
    return {
      ids,
      victim,
      cluster,
      prices,
      missed,
      onVictim,
      onSurvivors,
      loads: products.db.queries - loadsBefore,
      movedSurvivorKeys: onSurvivors.filter(
        (id) => cluster.nodeFor(cached.key(id)) !== ownerBefore.get(id),
      ),
    };
  } finally {
    await cluster.close();
    await Promise.all(servers.map((server) => server[Symbol.asyncDispose]()));
  }
}

describe("a cache spread over three memcached nodes, one of which dies", () => {
  it("when a node is killed under consistent hashing, then exactly the keys it held miss, about a third, and every read still answers", async () => {
    // Arrange, Act
    const run = await killOneOfThree("consistent");

    // Assert: the misses are the dead node's keys and no others.
    expect(run.cluster.ejected).toEqual([run.victim]);
    expect([...run.missed].sort()).toEqual([...run.onVictim].sort());
    expect(run.loads).toBe(run.onVictim.length);
    expect(run.movedSurvivorKeys).toEqual([]);
    expect(run.missed.size / KEYS).toBeGreaterThan(0.15);
    expect(run.missed.size / KEYS).toBeLessThan(0.55);
    expect(run.prices).toEqual(run.ids.map((id) => 100 * Number(id.slice(1))));
  });

  it("when a node is killed under modulo hashing, then about two thirds of the keys miss, many of them on nodes that are still up", async () => {
    // Arrange, Act
    const run = await killOneOfThree("modulo");

    // Assert
    expect(run.cluster.ejected).toEqual([run.victim]);
    expect(run.missed.size / KEYS).toBeGreaterThan(0.55);
    expect(run.missed.size / KEYS).toBeLessThan(0.8);
    const survivorsMissed = run.onSurvivors.filter((id) => run.missed.has(id));
    expect(survivorsMissed.length / run.onSurvivors.length).toBeGreaterThan(0.3);
    expect(run.prices).toEqual(run.ids.map((id) => 100 * Number(id.slice(1))));
  });
});
