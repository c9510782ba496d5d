import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { ScratchDatabase } from "@playground/kit";
import { loadUsers } from "../src/indexing.js";
import { scanTypes } from "../src/plan.js";
import { indexCase, run, USERS } from "./cases.js";
import { testDatabase } from "./database.js";

describe("indexing: a covering index and the visibility map", () => {
  let db: ScratchDatabase;
  const covering = indexCase("covering");

  beforeAll(async () => {
    db = await testDatabase("indexing_covering");
    await loadUsers(db.pool, USERS, { vacuum: false });
  });

  afterAll(async () => {
    await db?.[Symbol.asyncDispose]();
  });

  it("when the index does not include the selected column, then the lookup is an Index Scan that reads the table", async () => {
    // Act
    const { plan } = await run(db.pool, covering.miss);

    // Assert
    expect(scanTypes(plan)).toEqual(["Index Scan"]);
  });

  it("when the table has not been vacuumed, then even a covering index visits the heap; after VACUUM it answers from the index alone", async () => {
    // Arrange: freshly loaded, so no page is marked all-visible yet.
    const unvacuumed = await run(db.pool, covering.hit);

    // Act
    await db.pool.query("VACUUM users");
    const vacuumed = await run(db.pool, covering.hit);

    // Assert
    const visitedHeap =
      scanTypes(unvacuumed.plan).join() !== "Index Only Scan" ||
      (unvacuumed.plan["Heap Fetches"] ?? 0) > 0;
    expect(visitedHeap).toBe(true);
    expect(scanTypes(vacuumed.plan)).toEqual(["Index Only Scan"]);
    expect(vacuumed.plan["Heap Fetches"]).toBe(0);
  });
});
