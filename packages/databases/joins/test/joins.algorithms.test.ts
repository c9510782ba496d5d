import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { ScratchDatabase, services } from "@playground/kit";
import {
  CUSTOMERS,
  chosenAlgorithm,
  createPlannerTables,
  customersWithOrders,
  explainWithout,
  SCENARIOS,
} from "../src/join-algorithms.js";
import { explain, joins, nodes } from "../src/plan.js";

const scenario = (expected: string, name: string) =>
  SCENARIOS.find((s) => s.expected === expected && s.name.startsWith(name))!;

describe("joins: the planner's join algorithms", () => {
  let db: ScratchDatabase;

  beforeAll(async () => {
    const server = await services.postgres();
    db = await ScratchDatabase.create(server.url, "joins_algorithms");
    await createPlannerTables(db.pool);
  });

  afterAll(async () => {
    await db?.[Symbol.asyncDispose]();
  });

  it("when a few customers are joined and orders has an index on customer_id, then the planner picks a Nested Loop of index lookups", async () => {
    // Arrange
    const { sql } = scenario("Nested Loop", "5 customers");

    // Act
    const { plan } = await explain(db.pool, sql);

    // Assert
    expect(joins(plan)[0]?.algorithm).toBe("Nested Loop");
    const indexes = nodes(plan).map((node) => node["Index Name"]);
    expect(indexes).toContain("orders_customer_id");
  });

  it("when the same few customers are joined to orders without that index, then the planner picks a Hash Join", async () => {
    // Arrange
    const { sql } = scenario("Hash Join", "5 customers");

    // Act
    const algorithm = await chosenAlgorithm(db.pool, sql);

    // Assert
    expect(algorithm).toBe("Hash Join");
  });

  it("when every customer is joined, then the planner picks a Hash Join over sequential scans even though the index exists", async () => {
    // Arrange
    const { sql } = scenario("Hash Join", "all");

    // Act
    const { plan } = await explain(db.pool, sql);

    // Assert
    expect(joins(plan)[0]?.algorithm).toBe("Hash Join");
    const scans = nodes(plan).filter((node) => node["Relation Name"] !== undefined);
    expect(scans.map((node) => node["Node Type"])).toEqual(["Seq Scan", "Seq Scan"]);
  });

  it("when every customer is joined in customer order, then the planner picks a Merge Join of two index scans and no Sort", async () => {
    // Arrange
    const { sql } = scenario("Merge Join", "all");

    // Act
    const { plan } = await explain(db.pool, sql);

    // Assert
    expect(joins(plan)[0]?.algorithm).toBe("Merge Join");
    const types = nodes(plan).map((node) => node["Node Type"]);
    expect(types.filter((type) => type === "Index Scan")).toHaveLength(2);
    expect(types).not.toContain("Sort");
  });

  it("when the number of customers joined grows, then the planner switches from Nested Loop to Hash Join once and never back", async () => {
    // Arrange
    const sizes = [1, 10, 100, 1_000, CUSTOMERS];

    // Act
    const algorithms: string[] = [];
    for (const size of sizes)
      algorithms.push(await chosenAlgorithm(db.pool, customersWithOrders(size)));

    // Assert
    expect(algorithms[0]).toBe("Nested Loop");
    expect(algorithms.at(-1)).toBe("Hash Join");
    const switches = algorithms.filter((a, i) => i > 0 && a !== algorithms[i - 1]);
    expect(switches).toEqual(["Hash Join"]);
  });

  it("when the planner is kept from its Nested Loop for a few customers (enable_nestloop = off), then the plan it falls back to runs many times slower", async () => {
    // Arrange
    const { sql } = scenario("Nested Loop", "5 customers");
    await explain(db.pool, sql, { analyze: true }); // warm the cache for both runs

    // Act
    const chosen = await explain(db.pool, sql, { analyze: true });
    const forced = await explainWithout(db.pool, sql, ["nestloop"]);

    // Assert
    expect(joins(chosen.plan)[0]?.algorithm).toBe("Nested Loop");
    expect(joins(forced.plan)[0]?.algorithm).not.toBe("Nested Loop");
    expect(forced.executionMs! / chosen.executionMs!).toBeGreaterThan(5);
  });
});
