import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { ScratchDatabase } from "@playground/kit";
import { loadUsers, sizeOf, withIndexes } from "../src/indexing.js";
import { indexesUsed } from "../src/plan.js";
import { indexCase, run, USERS } from "./cases.js";
import { testDatabase } from "./database.js";

describe("indexing: a partial index", () => {
  let db: ScratchDatabase;
  const partial = indexCase("partial");

  beforeAll(async () => {
    db = await testDatabase("indexing_partial");
    await loadUsers(db.pool, USERS);
  });

  afterAll(async () => {
    await db?.[Symbol.asyncDispose]();
  });

  it("when a query's WHERE implies the partial index's predicate, then the planner uses it", async () => {
    // Act
    const { plan } = await run(db.pool, partial.hit);

    // Assert
    expect(indexesUsed(plan)).toEqual(["users_pending"]);
  });

  it("when a query asks about rows outside its predicate, then the partial index cannot serve it", async () => {
    // Act
    const { plan } = await run(db.pool, partial.miss);

    // Assert
    expect(indexesUsed(plan)).not.toContain("users_pending");
  });

  it("when a partial index holds the 1% of pending users, then it is a small fraction of the size of a full index", async () => {
    // Act
    const [partialBytes, fullBytes] = await withIndexes(
      db.pool,
      [...partial.hit.setup, "CREATE INDEX users_signup ON users (signup_date)"],
      async (client) => [
        await sizeOf(client, "users_pending"),
        await sizeOf(client, "users_signup"),
      ],
    );

    // Assert
    expect(partialBytes! / fullBytes!).toBeLessThan(0.1);
  });
});
