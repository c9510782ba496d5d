import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { ScratchDatabase, services } from "@playground/kit";
import { createShop, JOINS, type Pair, rowsOf } from "../src/joins.js";

// Ada has orders 100 and 101, Brian has 102, Chen has none, and order 103
// was a guest checkout with no customer.
const pair = (customer: string | null, order_id: number | null): Pair => ({ customer, order_id });

describe("joins: the five kinds", () => {
  let db: ScratchDatabase;

  beforeAll(async () => {
    const server = await services.postgres();
    db = await ScratchDatabase.create(server.url, "joins_kinds");
    await createShop(db.pool);
  });

  afterAll(async () => {
    await db?.[Symbol.asyncDispose]();
  });

  it("when customers are INNER JOINed to orders, then only the three matching pairs come back", async () => {
    // Act
    const rows = await rowsOf(db.pool, JOINS.inner);

    // Assert
    expect(rows).toEqual([pair("Ada", 100), pair("Ada", 101), pair("Brian", 102)]);
  });

  it("when customers are LEFT JOINed to orders, then every customer comes back once per order, and Chen once with NULLs", async () => {
    // Act
    const rows = await rowsOf(db.pool, JOINS.left);

    // Assert
    expect(rows).toEqual([
      pair("Ada", 100),
      pair("Ada", 101),
      pair("Brian", 102),
      pair("Chen", null),
    ]);
  });

  it("when customers are RIGHT JOINed to orders, then every order comes back, the guest order with NULL customer columns", async () => {
    // Act
    const rows = await rowsOf(db.pool, JOINS.right);

    // Assert
    expect(rows).toEqual([pair("Ada", 100), pair("Ada", 101), pair("Brian", 102), pair(null, 103)]);
  });

  it("when a RIGHT JOIN's tables are swapped, then a LEFT JOIN returns the same rows", async () => {
    // Arrange
    const swapped = JOINS.right.replace(
      "customers c RIGHT JOIN orders o",
      "orders o LEFT JOIN customers c",
    );

    // Act
    const [right, left] = [await rowsOf(db.pool, JOINS.right), await rowsOf(db.pool, swapped)];

    // Assert
    expect(swapped).not.toEqual(JOINS.right);
    expect(left).toEqual(right);
  });

  it("when customers are FULL OUTER JOINed to orders, then the unmatched rows of both sides come back", async () => {
    // Act
    const rows = await rowsOf(db.pool, JOINS.full);

    // Assert
    expect(rows).toEqual([
      pair("Ada", 100),
      pair("Ada", 101),
      pair("Brian", 102),
      pair("Chen", null),
      pair(null, 103),
    ]);
  });

  it("when customers are CROSS JOINed to orders, then every customer is paired with every order, 3 × 4 = 12 rows", async () => {
    // Act
    const rows = await rowsOf(db.pool, JOINS.cross);

    // Assert
    const expected = ["Ada", "Brian", "Chen"].flatMap((customer) =>
      [100, 101, 102, 103].map((order) => pair(customer, order)),
    );
    expect(rows).toEqual(expected);
  });
});
