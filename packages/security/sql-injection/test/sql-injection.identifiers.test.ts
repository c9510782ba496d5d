import { beforeAll, describe, expect, it } from "@jest/globals";
import pg from "pg";
import { SORT_LEAKS_HASHES } from "../src/attacks.js";
import { escapeLike } from "../src/sql-injection.js";
import { errorOf, shopPerFile } from "./shop-fixture.js";

describe("where parameters cannot go", () => {
  const t = shopPerFile("sqli_identifiers");
  let storedOrder: number[];
  let byPrice: number[];

  beforeAll(async () => {
    const ids = async (sql: string) =>
      (await t.shop.owner.query<{ id: number }>(sql)).rows.map((r) => r.id);
    storedOrder = await ids("SELECT id FROM products");
    byPrice = await ids("SELECT id FROM products ORDER BY price_cents");
  });

  describe("ORDER BY", () => {
    it("when ORDER BY is given a parameter, then it sorts by a constant and the rows keep their stored order", async () => {
      // Act
      const { rows } = await t.shop.owner.query("SELECT id FROM products ORDER BY $1", [
        "price_cents",
      ]);

      // Assert
      expect(byPrice).not.toEqual(storedOrder);
      expect(rows.map((r) => r.id)).toEqual(storedOrder);
    });

    it("when a table name is given as a parameter, then PostgreSQL rejects the statement as a syntax error", async () => {
      // Act
      const error = await errorOf(t.shop.owner.query("SELECT * FROM $1", ["products"]));

      // Assert
      expect(error?.code).toBe("42601");
    });

    it("when the sort is a SQL expression, then the vulnerable app runs it and the error it passes on holds every hash", async () => {
      // Arrange
      const { rows } = await t.shop.owner.query("SELECT password_hash FROM users");

      // Act
      const reply = await t.vulnerable.products(SORT_LEAKS_HASHES);

      // Assert
      expect(reply.status).toBe(500);
      for (const { password_hash } of rows) expect(reply.body.error).toContain(password_hash);
    });

    it("when the sort is not on the allow-list, then the safe app answers 400 and leaks nothing", async () => {
      // Act
      const reply = await t.safe.products(SORT_LEAKS_HASHES);

      // Assert
      expect(reply.status).toBe(400);
      expect(reply.body.error).toBe("sort must be one of name, price, newest");
    });

    it("when the sort is on the allow-list, then the safe app sorts by the column it maps to", async () => {
      // Act
      const reply = await t.safe.products("price");

      // Assert
      expect(reply.status).toBe(200);
      expect(reply.body.products!.map((p) => p.id)).toEqual(byPrice);
    });

    it("when a column name is quoted with escapeIdentifier, then a real column sorts and an injection is only an unknown column", async () => {
      // Arrange
      const sortBy = (column: string) =>
        t.shop.owner.query(`SELECT id FROM products ORDER BY ${pg.escapeIdentifier(column)}`);

      // Act
      const sorted = await sortBy("price_cents");
      const injected = await errorOf(sortBy('id"; DROP TABLE products; --'));

      // Assert
      expect(sorted.rows.map((r) => r.id)).toEqual(byPrice);
      expect(injected?.code).toBe("42703");
      expect(await t.tableExists("products")).toBe(true);
    });
  });

  describe("LIMIT and LIKE", () => {
    it("when LIMIT is given a parameter, then PostgreSQL applies it", async () => {
      // Act
      const reply = await t.safe.products("price", "2");

      // Assert
      expect(reply.body.products!.map((p) => p.id)).toEqual(byPrice.slice(0, 2));
    });

    it("when the search is _ or %, then a bare parameter matches every product, and escaping LIKE's wildcards finds only the literal character", async () => {
      // Arrange
      const count = async (q: string) =>
        (await t.shop.owner.query("SELECT id FROM products WHERE name ILIKE '%' || $1 || '%'", [q]))
          .rowCount;

      // Act
      const bare = [await count("_"), await count("%")];
      const escaped = [await count(escapeLike("_")), await count(escapeLike("%"))];
      const [underscore, percent] = await Promise.all([t.safe.search("_"), t.safe.search("%")]);

      // Assert
      expect(bare).toEqual([storedOrder.length, storedOrder.length]);
      expect(escaped).toEqual([1, 1]);
      expect(underscore.body.products!.map((p) => p.name)).toEqual(["snake_case mug"]);
      expect(percent.body.products!.map((p) => p.name)).toEqual(["100% cotton tea towel"]);
    });
  });
});
