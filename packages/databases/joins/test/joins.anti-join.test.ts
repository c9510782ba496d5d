import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { ScratchDatabase, services } from "@playground/kit";
import { ANTI_JOINS, createShop, rowsOf } from "../src/joins.js";
import { explain, joins, nodes } from "../src/plan.js";

describe("joins: the anti-join", () => {
  let db: ScratchDatabase;
  const names = async (sql: string) =>
    (await rowsOf<{ name: string }>(db.pool, sql)).map((row) => row.name);

  beforeAll(async () => {
    const server = await services.postgres();
    db = await ScratchDatabase.create(server.url, "joins_anti");
    await createShop(db.pool);
  });

  afterAll(async () => {
    await db?.[Symbol.asyncDispose]();
  });

  it("when LEFT JOIN … WHERE o.id IS NULL looks for customers without orders, then it finds Chen", async () => {
    // Act
    const found = await names(ANTI_JOINS.leftJoinIsNull);

    // Assert
    expect(found).toEqual(["Chen"]);
  });

  it("when NOT EXISTS looks for customers without orders, then it finds Chen, and the planner runs it as an Anti join", async () => {
    // Act
    const found = await names(ANTI_JOINS.notExists);
    const { plan } = await explain(db.pool, ANTI_JOINS.notExists);

    // Assert
    expect(found).toEqual(["Chen"]);
    expect(joins(plan).map((join) => join.type)).toEqual(["Anti"]);
  });

  it("when NOT IN looks for customers without orders and the subquery holds a NULL, then it returns zero rows", async () => {
    // Arrange: the guest order's customer_id is NULL.
    const { rows } = await db.pool.query(
      "SELECT count(*)::int AS guests FROM orders WHERE customer_id IS NULL",
    );
    expect(rows[0].guests).toBe(1);

    // Act
    const found = await names(ANTI_JOINS.notIn);

    // Assert
    expect(found).toEqual([]);
  });

  it("when the NULL is filtered out of the NOT IN subquery, then it finds Chen again", async () => {
    // Act
    const found = await names(ANTI_JOINS.notInWithoutNulls);

    // Assert
    expect(found).toEqual(["Chen"]);
  });

  it("when NOT IN is planned, then it is a filter over a subplan, not an Anti join, because of what NULL means", async () => {
    // Act
    const { plan } = await explain(db.pool, ANTI_JOINS.notIn);

    // Assert
    expect(joins(plan)).toEqual([]);
    const customers = nodes(plan).find((node) => node["Relation Name"] === "customers");
    expect(customers?.Filter).toMatch(/^\(NOT \(.*SubPlan/);
    expect(nodes(plan).some((node) => node["Parent Relationship"] === "SubPlan")).toBe(true);
  });
});
