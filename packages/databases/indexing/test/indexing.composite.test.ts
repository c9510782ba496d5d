import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { ScratchDatabase } from "@playground/kit";
import { loadOrders } from "../src/index-cases.js";
import { indexesUsed, scanTypes } from "../src/plan.js";
import { indexCase, ORDERS, run } from "./cases.js";
import { testDatabase } from "./database.js";

describe("indexing: a composite index and its leftmost prefix", () => {
  let db: ScratchDatabase;
  const composite = indexCase("composite");

  beforeAll(async () => {
    db = await testDatabase("indexing_composite");
    await loadOrders(db.pool, ORDERS);
  });

  afterAll(async () => {
    await db?.[Symbol.asyncDispose]();
  });

  it("when a composite index is queried by its leftmost column alone, then the planner uses it", async () => {
    // Act
    const { plan } = await run(db.pool, composite.hit);

    // Assert
    expect(indexesUsed(plan)).toEqual(["orders_customer_created"]);
    expect(scanTypes(plan)).not.toContain("Seq Scan");
  });

  it("when both of its columns are given, then the planner searches the index on both", async () => {
    // Act
    const { plan } = await run(db.pool, {
      ...composite.hit,
      sql: "SELECT * FROM orders WHERE customer_id = $1 AND created_at >= $2",
      params: [42, "2023-01-01"],
    });

    // Assert
    const conditions = JSON.stringify(plan);
    expect(indexesUsed(plan)).toEqual(["orders_customer_created"]);
    expect(conditions).toMatch(/Index Cond":"\(\(customer_id = 42\) AND \(created_at >= /);
  });

  it("when only its second column is queried, then the planner cannot search the index and scans the table", async () => {
    // Act
    const { plan } = await run(db.pool, composite.miss);

    // Assert
    expect(scanTypes(plan)).toEqual(["Seq Scan"]);
    expect(indexesUsed(plan)).toEqual([]);
  });

  it("when the second column leads an index of its own, then the same query uses that index", async () => {
    // Act
    const { plan } = await run(db.pool, composite.miss, [
      "CREATE INDEX orders_created ON orders (created_at)",
    ]);

    // Assert
    expect(indexesUsed(plan)).toEqual(["orders_created"]);
  });
});
