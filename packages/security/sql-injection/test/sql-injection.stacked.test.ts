import { beforeEach, describe, expect, it } from "@jest/globals";
import type pg from "pg";
import { DROP_PRODUCTS, SORT_THEN_DROP } from "../src/attacks.js";
import { errorOf, openShop, shopPerFile } from "./shop-fixture.js";

describe("stacked queries depend on the protocol", () => {
  const t = shopPerFile("sqli_stacked");

  describe("in the driver", () => {
    beforeEach(async () => {
      await t.shop.owner.query("DROP TABLE IF EXISTS victim; CREATE TABLE victim (id int)");
    });

    it("when a query without parameters holds two statements, then pg's simple query protocol runs both", async () => {
      // Act
      const results = await t.shop.owner.query("SELECT 1 AS one; DROP TABLE victim");

      // Assert
      expect(Array.isArray(results)).toBe(true);
      expect(await t.tableExists("victim")).toBe(false);
    });

    it("when the same text carries a parameter, then the extended protocol refuses it with 42601 and runs neither statement", async () => {
      // Act
      const error = await errorOf(
        t.shop.owner.query("SELECT $1::int AS one; DROP TABLE victim", [1]),
      );

      // Assert
      expect(error?.code).toBe("42601");
      expect(error?.message).toBe("cannot insert multiple commands into a prepared statement");
      expect(await t.tableExists("victim")).toBe(true);
    });

    it("when the extended protocol is asked for without parameters, then it refuses the second statement too", async () => {
      // Arrange: pg reads `queryMode`, which @types/pg does not declare yet.
      const query: pg.QueryConfig & { queryMode: "extended" } = {
        text: "SELECT 1 AS one; DROP TABLE victim",
        queryMode: "extended",
      };

      // Act
      const error = await errorOf(t.shop.owner.query(query));

      // Assert
      expect(error?.code).toBe("42601");
      expect(await t.tableExists("victim")).toBe(true);
    });
  });

  describe("over HTTP", () => {
    it("when the sort smuggles DROP TABLE into a query that has a parameter, then the extended protocol refuses it and the table stays", async () => {
      // Act
      const reply = await t.vulnerable.products(SORT_THEN_DROP);

      // Assert
      expect(reply.status).toBe(500);
      expect(reply.body.error).toBe("cannot insert multiple commands into a prepared statement");
      expect(await t.tableExists("products")).toBe(true);
    });

    it("when the safe app gets the stacked payloads, then the table stays", async () => {
      // Act
      const replies = await Promise.all([
        t.safe.search(DROP_PRODUCTS),
        t.safe.products(SORT_THEN_DROP),
        t.safe.product("1; DROP TABLE products"),
      ]);

      // Assert
      expect(replies.map((r) => r.status)).toEqual([200, 400, 400]);
      expect(await t.tableExists("products")).toBe(true);
    });

    it("when a search ends in '; DROP TABLE products --, then the vulnerable app's parameterless query drops the table", async () => {
      // Arrange: a shop of its own, since this one will lose its products.
      await using own = await openShop("sqli_drop");

      // Act
      await own.vulnerable.search(DROP_PRODUCTS);

      // Assert
      expect(await own.tableExists("products")).toBe(false);
    });

    it("when a product id is followed by ; DROP TABLE products, then the vulnerable app drops the table through the path too", async () => {
      // Arrange
      await using own = await openShop("sqli_drop_id");

      // Act
      await own.vulnerable.product("1; DROP TABLE products");

      // Assert
      expect(await own.tableExists("products")).toBe(false);
    });
  });
});
