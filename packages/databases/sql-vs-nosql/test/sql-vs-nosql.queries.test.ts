import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { CommandLog } from "../src/command-log.js";
import { documentRevenueByCountry } from "../src/documents.js";
import { countStatements, revenueByCountry } from "../src/relational.js";
import { expectedRevenue } from "../src/sql-vs-nosql.js";
import { openTestShop, type TestShop } from "./shop-fixture.js";

// 4 customers with 3 orders each: the key-value walk costs
// 1 (the customer set) + 2 × 4 (each customer's country and order set)
// + 12 (each order's lines) = 21 commands.
const CUSTOMERS = 4;
const ORDERS_EACH = 3;
const WALK_COMMANDS = 1 + 2 * CUSTOMERS + CUSTOMERS * ORDERS_EACH;

describe("sql-vs-nosql: an ad-hoc question, revenue per country", () => {
  let shop: TestShop;
  let log: CommandLog;

  beforeAll(async () => {
    shop = await openTestShop("svn_queries", { customers: CUSTOMERS, ordersEach: ORDERS_EACH });
    log = await CommandLog.attach(shop.redisUrl, shop.redis);
  });

  afterAll(async () => {
    await log?.close();
    await shop?.close();
  });

  afterEach(() => {
    shop.kv.resetCounts();
  });

  it("when the relational model is asked, then one statement joins, sums and answers correctly", async () => {
    // Arrange
    const sql = countStatements(shop.db.pool);

    // Act
    const revenue = await revenueByCountry(sql);

    // Assert
    expect(revenue).toEqual(expectedRevenue(shop.data.customers, shop.data.orders));
    expect(sql.statements).toBe(1);
  });

  it("when the document model in PostgreSQL is asked, then one statement over the JSONB answers correctly too", async () => {
    // Arrange
    const sql = countStatements(shop.db.pool);

    // Act
    const revenue = await documentRevenueByCountry(sql);

    // Assert
    expect(revenue).toEqual(expectedRevenue(shop.data.customers, shop.data.orders));
    expect(sql.statements).toBe(1);
  });

  it("when the key-value model is asked, then the application walks the keys with one round trip per command, 1 + 2 × customers + orders of them", async () => {
    // Arrange
    await log.reset();

    // Act
    const revenue = await shop.kv.revenueByCountry();
    const seenByServer = await log.commands();

    // Assert
    expect(revenue).toEqual(expectedRevenue(shop.data.customers, shop.data.orders));
    expect(shop.kv.counts).toEqual({ roundTrips: WALK_COMMANDS, commands: WALK_COMMANDS });
    expect(seenByServer).toHaveLength(WALK_COMMANDS);
  });

  it("when the key-value walk is pipelined, then it takes 3 round trips but the server still runs every command", async () => {
    // Arrange
    await log.reset();

    // Act
    const revenue = await shop.kv.revenueByCountry({ pipelined: true });
    const seenByServer = await log.commands();

    // Assert
    expect(revenue).toEqual(expectedRevenue(shop.data.customers, shop.data.orders));
    expect(shop.kv.counts).toEqual({ roundTrips: 3, commands: WALK_COMMANDS });
    expect(seenByServer.map(([name]) => name?.toUpperCase())).toEqual([
      "SMEMBERS",
      ...Array.from({ length: CUSTOMERS }, () => ["HGET", "SMEMBERS"]).flat(),
      ...Array.from({ length: CUSTOMERS * ORDERS_EACH }, () => "LRANGE"),
    ]);
  });
});
