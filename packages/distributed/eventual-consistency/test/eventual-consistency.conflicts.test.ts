import { afterEach, describe, expect, it } from "@jest/globals";
import {
  type AddItem,
  cartItems,
  gCounter,
  lastWriteWins,
  type Resolver,
  total,
  versionVectors,
} from "../src/conflicts.js";
import { MultiPrimary } from "../src/replicator.js";

// Both sides run at once during the partition: `a` adds a-1…a-N, `b` adds b-1…b-M.
async function addDuringPartition<S>(
  system: MultiPrimary<S, AddItem>,
  key: string,
  counts: { a: number; b: number },
): Promise<string[]> {
  await system.update("a", key, { add: "common" });
  await system.untilConverged(key);
  system.partition();
  const acknowledged: string[] = ["common"];
  const side = async (name: "a" | "b") => {
    for (let i = 1; i <= counts[name]; i++) {
      await system.update(name, key, { add: `${name}-${i}` });
      acknowledged.push(`${name}-${i}`);
    }
  };
  await Promise.all([side("a"), side("b")]);
  system.heal();
  return acknowledged;
}

describe("conflicting writes on two primaries during a partition", () => {
  const systems: MultiPrimary<never, never>[] = [];
  const start = async <S, Op>(resolver: Resolver<S, Op>, skewMs?: Record<string, number>) => {
    const system = await MultiPrimary.start(resolver, skewMs ? { skewMs } : {});
    systems.push(system as unknown as MultiPrimary<never, never>);
    return system;
  };

  afterEach(async () => {
    for (const system of systems.splice(0)) await system.close();
  });

  it("when both primaries accept adds during a partition, then last write wins keeps one side's cart and loses the other side's acknowledged adds", async () => {
    // Arrange
    const system = await start(lastWriteWins);
    const key = `cart:${crypto.randomUUID()}`;

    // Act
    const acknowledged = await addDuringPartition(system, key, { a: 20, b: 10 });
    const cart = await system.untilConverged(key);

    // Assert
    const lost = acknowledged.filter((item) => !cart.items.includes(item));
    const winner = cart.node as "a" | "b";
    const loser = winner === "a" ? "b" : "a";
    expect(lost).toEqual(acknowledged.filter((item) => item.startsWith(`${loser}-`)));
    expect(lost.length).toBeGreaterThanOrEqual(10);
  });

  it("when a node's clock runs ahead, then last write wins keeps its older write over a newer one", async () => {
    // Arrange
    const system = await start(lastWriteWins, { b: 10_000 });
    const key = `skew:${crypto.randomUUID()}`;
    system.partition();

    // Act: b writes first, a writes after it in real time.
    await system.update("b", key, { add: "earlier" });
    await system.update("a", key, { add: "later" });
    system.heal();
    const cart = await system.untilConverged(key);

    // Assert
    expect(cart.items).toEqual(["earlier"]);
  });

  it("when both primaries accept adds during a partition, then version vectors keep both carts as siblings and their union loses nothing", async () => {
    // Arrange
    const system = await start(versionVectors);
    const key = `cart:${crypto.randomUUID()}`;

    // Act
    const acknowledged = await addDuringPartition(system, key, { a: 20, b: 10 });
    const state = await system.untilConverged(key);

    // Assert
    expect(state.siblings).toHaveLength(2);
    expect(new Set(cartItems(state))).toEqual(new Set(acknowledged));
    const resolved = await system.update("a", key, { add: "after" });
    await system.untilConverged(key);
    expect(resolved.siblings).toHaveLength(1);
    expect((await system.read("b", key)).siblings).toHaveLength(1);
  });

  it("when both primaries count increments during a partition, then the G-Counter converges on the sum of every increment", async () => {
    // Arrange
    const system = await start(gCounter);
    const key = `likes:${crypto.randomUUID()}`;
    system.partition();
    let acknowledged = 0;
    const side = async (name: string, times: number) => {
      for (let i = 0; i < times; i++) {
        await system.update(name, key, { increment: 1 });
        acknowledged++;
      }
    };

    // Act
    await Promise.all([side("a", 25), side("b", 15)]);
    system.heal();
    const counter = await system.untilConverged(key);

    // Assert
    expect(acknowledged).toBe(40);
    expect(total(counter)).toBe(40);
    expect(total(await system.read("b", key))).toBe(40);
  });
});

describe("merge functions", () => {
  it("when copies merge in any order and more than once, then every resolver reaches the same state", () => {
    // Arrange: for each resolver, three nodes that wrote independently.
    const cases = [
      {
        resolver: lastWriteWins as Resolver<unknown, unknown>,
        op: (i: number) => ({ add: `x${i}` }),
      },
      {
        resolver: versionVectors as Resolver<unknown, unknown>,
        op: (i: number) => ({ add: `x${i}` }),
      },
      { resolver: gCounter as Resolver<unknown, unknown>, op: () => ({ increment: 1 }) },
    ].map(({ resolver, op }) => {
      const copies = ["a", "b", "c"].map((node, n) => {
        let state = resolver.empty();
        for (let i = 0; i <= n; i++) state = resolver.apply(state, op(i), node, 100 + n * 10 + i);
        return state;
      });
      return { merge: resolver.merge, copies: copies as [unknown, unknown, unknown] };
    });

    // Act
    const outcomes = cases.map(({ merge, copies: [a, b, c] }) =>
      [
        merge(merge(a, b), c),
        merge(merge(c, a), b),
        merge(b, merge(c, a)),
        merge(merge(merge(a, b), c), merge(b, a)),
      ].map((state) => JSON.stringify(normalise(state))),
    );

    // Assert
    expect(outcomes.map((orders) => new Set(orders).size)).toEqual([1, 1, 1]);
  });
});

/** Sorts object keys and sibling lists, which a merge may order differently. */
function normalise(value: unknown): unknown {
  if (Array.isArray(value))
    return value
      .map(normalise)
      .map((v) => JSON.stringify(v))
      .sort();
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, normalise(v)]),
    );
  }
  return value;
}
