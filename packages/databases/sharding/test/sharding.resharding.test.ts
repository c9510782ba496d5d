import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { type ServiceHandle, services } from "@playground/kit";
import { HashRing, ModuloPlacement, type Placement } from "../src/placement.js";
import { reshard } from "../src/resharding.js";
import { keyOf, ShardRouter } from "../src/sharding.js";
import { makeUsers } from "../src/workload.js";

const THREE = ["shard-0", "shard-1", "shard-2"];
const FOUR = [...THREE, "shard-3"];
const USERS = 12_000;

describe("sharding: resharding real rows from three servers to four", () => {
  let servers: ServiceHandle[];

  beforeAll(async () => {
    servers = await Promise.all(FOUR.map(() => services.postgres({ dedicated: true })));
  });

  afterAll(async () => {
    await Promise.all((servers ?? []).map((server) => server[Symbol.asyncDispose]()));
  });

  /** A router over the first three servers holding USERS users, then the fourth server added empty. */
  async function threeShardsAndAnEmptyFourth(placement: Placement): Promise<ShardRouter> {
    const router = new ShardRouter(placement);
    for (const [i, shard] of FOUR.entries()) {
      if (i === 3) continue;
      await router.addShard(shard, servers[i]!.url);
      await router.on(shard, "TRUNCATE users");
    }
    await router.insert(makeUsers(USERS));
    await router.addShard("shard-3", servers[3]!.url);
    await router.on("shard-3", "TRUNCATE users");
    return router;
  }

  /** Whether every row sits on the shard the router will ask for it. */
  async function everyRowWhereTheRouterLooks(router: ShardRouter): Promise<boolean> {
    const ids = await router.scatter<{ id: number }>("SELECT id FROM users");
    return [...ids].every(([shard, rows]) =>
      rows.every(({ id }) => router.placement.shardFor(keyOf(id)) === shard),
    );
  }

  it("when a fourth server joins a modulo-hashed cluster, then about three quarters of the rows are copied, mostly between the old servers", async () => {
    // Arrange
    const router = await threeShardsAndAnEmptyFourth(new ModuloPlacement(THREE));
    try {
      // Act
      const { moved, to } = await reshard(router, new ModuloPlacement(FOUR));

      // Assert
      expect(moved / USERS).toBeGreaterThan(0.7);
      expect(moved / USERS).toBeLessThan(0.8);
      expect((to.get("shard-3") ?? 0) / moved).toBeLessThan(0.4);
      const counts = await router.counts();
      expect([...counts.values()].reduce((a, b) => a + b)).toBe(USERS);
      expect(await everyRowWhereTheRouterLooks(router)).toBe(true);
    } finally {
      await router.close();
    }
  });

  it("when a fourth server joins a consistent-hash ring, then about a quarter of the rows are copied, all to it, and every user is still found by id", async () => {
    // Arrange
    const router = await threeShardsAndAnEmptyFourth(new HashRing(THREE));
    try {
      // Act
      const { moved, to } = await reshard(router, new HashRing(FOUR));

      // Assert
      expect(moved / USERS).toBeGreaterThan(0.2);
      expect(moved / USERS).toBeLessThan(0.3);
      expect([...to.keys()]).toEqual(["shard-3"]);
      const counts = await router.counts();
      expect(counts.get("shard-3")).toBe(moved);
      expect([...counts.values()].reduce((a, b) => a + b)).toBe(USERS);
      expect(await everyRowWhereTheRouterLooks(router)).toBe(true);
      for (const id of [1, 777, 4_242, USERS]) expect((await router.get(id))?.id).toBe(id);
    } finally {
      await router.close();
    }
  });
});
