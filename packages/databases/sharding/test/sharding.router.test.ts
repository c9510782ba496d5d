import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { HashRing } from "../src/placement.js";
import { transfer } from "../src/transfer.js";
import { makeUsers, read, scatterVersusSingle, trafficWithHotKey } from "../src/workload.js";
import { startShards, stopShards } from "./shards.js";

const SHARDS = ["shard-0", "shard-1", "shard-2"];
const USERS = 30_000;

describe("sharding: a router over three PostgreSQL servers", () => {
  let shards: Awaited<ReturnType<typeof startShards>>;
  const router = () => shards.router;

  beforeAll(async () => {
    shards = await startShards(3, new HashRing(SHARDS));
    await router().insert(makeUsers(USERS));
  });

  afterAll(async () => {
    await stopShards(shards);
  });

  it("when 30,000 users are routed by their hashed id, then each of the three servers holds within ±10% of a third", async () => {
    // Act
    const counts = await router().counts();

    // Assert
    expect([...counts.values()].reduce((a, b) => a + b)).toBe(USERS);
    for (const count of counts.values()) {
      expect(Math.abs(count - USERS / 3) / (USERS / 3)).toBeLessThan(0.1);
    }
  });

  it("when a user is read by id, then only the shard that owns it is asked, and only that shard holds the row", async () => {
    // Arrange
    const id = 12_345;
    const owner = router().shardOf(id);
    const before = new Map(router().queries);

    // Act
    const user = await router().get(id);

    // Assert
    expect(user?.email).toBe("user12345@example.com");
    for (const shard of SHARDS) {
      expect(router().queries.get(shard)! - before.get(shard)!).toBe(shard === owner ? 1 : 0);
    }
    const holders = await router().scatter<{ n: number }>(
      "SELECT count(*)::int AS n FROM users WHERE id = $1",
      [id],
    );
    expect(SHARDS.filter((shard) => holders.get(shard)![0]!.n === 1)).toEqual([owner]);
  });

  it("when a user is looked up by email instead, then every shard is asked, and the lookup is slower than one by id", async () => {
    // Arrange: the same users, found by id (one shard) and by email (all three).
    const ids = Array.from({ length: 300 }, (_, i) => 1 + ((i * 7919) % USERS));
    await router().scatter("SELECT 1"); // open a connection to every shard, untimed
    const before = new Map(router().queries);

    // Act
    const { ratio } = await scatterVersusSingle(router(), ids);

    // Assert: each shard was asked once per email lookup, plus its share of the id lookups.
    for (const shard of SHARDS) {
      const asked = router().queries.get(shard)! - before.get(shard)!;
      expect(asked).toBeGreaterThan(ids.length);
    }
    expect(ratio).toBeGreaterThan(1.1);
  });

  it("when one user draws 30% of the reads, then every one of them lands on the same shard, which serves about half of all reads", async () => {
    // Arrange
    const hotId = 42;
    const owner = router().shardOf(hotId);
    const ids = trafficWithHotKey({ users: USERS, requests: 3_000, hotId, hotShare: 0.3 });
    const hotReads = ids.filter((id) => id === hotId).length;

    // Act
    const perShard = await read(router(), ids);

    // Assert
    const share = perShard.get(owner)! / ids.length;
    expect(perShard.get(owner)).toBeGreaterThanOrEqual(hotReads);
    expect(share).toBeGreaterThan(0.45);
    for (const shard of SHARDS.filter((s) => s !== owner)) {
      expect(perShard.get(shard)! / ids.length).toBeLessThan(0.3);
    }
  });

  it("when a transfer between two users on the same shard fails at the credit, then the debit is rolled back too", async () => {
    // Arrange: the recipient is 10 short of the 1,000 cap, so a credit of 50 fails.
    const [from, to] = pair(router().shardOf.bind(router()), "same");
    const owner = router().shardOf(from);
    await router().on(owner, "UPDATE users SET balance = 990 WHERE id = $1", [to]);

    // Act
    const attempt = transfer(router(), from, to, 50);

    // Assert
    await expect(attempt).rejects.toMatchObject({ code: "23514" });
    expect((await router().get(from))?.balance).toBe(100);
    expect((await router().get(to))?.balance).toBe(990);
  });

  it("when the two users live on different shards and the credit fails, then the debit stays committed and the money is gone", async () => {
    // Arrange
    const [from, to] = pair(router().shardOf.bind(router()), "different");
    await router().on(router().shardOf(to), "UPDATE users SET balance = 990 WHERE id = $1", [to]);

    // Act
    const attempt = transfer(router(), from, to, 50);

    // Assert
    await expect(attempt).rejects.toMatchObject({ code: "23514" });
    const [sender, recipient] = [await router().get(from), await router().get(to)];
    expect(sender?.balance).toBe(50);
    expect(recipient?.balance).toBe(990);
    expect(sender!.balance + recipient!.balance).toBe(100 + 990 - 50);
  });
});

/** Two user ids on the same shard, or on different shards, not used by other tests. */
function pair(shardOf: (id: number) => string, where: "same" | "different"): [number, number] {
  const from = where === "same" ? 20_001 : 20_501;
  for (let to = from + 1; to < from + 400; to++) {
    if ((shardOf(to) === shardOf(from)) === (where === "same")) return [from, to];
  }
  throw new Error("no such pair");
}
