import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { ScratchDatabase } from "@playground/kit";
import { loadUsers, sizeOf } from "../src/indexing.js";
import { indexesUsed, scanTypes } from "../src/plan.js";
import { indexCase, run, USERS } from "./cases.js";
import { testDatabase } from "./database.js";

describe("indexing: selectivity", () => {
  let db: ScratchDatabase;
  const selectivity = indexCase("low selectivity");

  beforeAll(async () => {
    db = await testDatabase("indexing_selectivity");
    await loadUsers(db.pool, USERS);
  });

  afterAll(async () => {
    await db?.[Symbol.asyncDispose]();
  });

  it("when a value is rare (1% pending), then the planner uses the index on status and reads a few pages", async () => {
    // Arrange
    const tablePages = (await sizeOf(db.pool, "users")) / 8192;

    // Act
    const { plan, pages } = await run(db.pool, selectivity.hit);

    // Assert
    expect(indexesUsed(plan)).toEqual(["users_status"]);
    expect(plan["Actual Rows"]).toBe(USERS / 100);
    expect(pages).toBeLessThan(tablePages / 10);
  });

  it("when a value covers 98% of the rows, then the planner ignores the index and scans the table", async () => {
    // Act
    const { plan } = await run(db.pool, selectivity.miss);

    // Assert
    expect(scanTypes(plan)).toEqual(["Seq Scan"]);
  });

  it("when the index is forced on the common value, then it still reads every page of the table, plus its own", async () => {
    // Act
    const chosen = await run(db.pool, selectivity.miss);
    const forced = await run(db.pool, selectivity.miss, ["SET LOCAL enable_seqscan = off"]);

    // Assert
    expect(indexesUsed(forced.plan)).toEqual(["users_status"]);
    expect(forced.pages).toBeGreaterThan(chosen.pages);
  });
});
