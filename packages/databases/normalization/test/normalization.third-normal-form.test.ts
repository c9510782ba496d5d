import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { ScratchDatabase, services } from "@playground/kit";
import { createShop, normalized } from "../src/normalization.js";

// The same facts in 3NF: customers once each, orders pointing at them.
describe("normalization: the same data in third normal form", () => {
  let db: ScratchDatabase;

  beforeAll(async () => {
    const server = await services.postgres();
    db = await ScratchDatabase.create(server.url, "normalization_3nf");
  });

  beforeEach(async () => {
    await createShop(db.pool);
  });

  afterAll(async () => {
    await db?.[Symbol.asyncDispose]();
  });

  it("when a customer's address is changed from one of their orders, then every order sees the new address, because it is stored once", async () => {
    // Act
    await normalized.moveCustomer(db.pool, 2, "9 New Road");

    // Assert
    expect(await normalized.addressesOf(db.pool, "ada@example.com")).toEqual(["9 New Road"]);
    const { rows } = await db.pool.query(
      "SELECT DISTINCT c.address FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id IN (1, 2)",
    );
    expect(rows).toEqual([{ address: "9 New Road" }]);
  });

  it("when a second row for the same customer is inserted with another address, then UNIQUE (email) rejects it", async () => {
    // Act
    const duplicate = normalized.addCustomer(db.pool, {
      email: "ada@example.com",
      name: "Ada",
      address: "9 New Road",
    });

    // Assert: 23505 is unique_violation.
    await expect(duplicate).rejects.toMatchObject({ code: "23505" });
    expect(await normalized.addressesOf(db.pool, "ada@example.com")).toEqual(["1 Old Road"]);
  });

  it("when a customer signs up before ordering, then 3NF stores them with no order", async () => {
    // Act
    await normalized.addCustomer(db.pool, {
      email: "dana@example.com",
      name: "Dana",
      address: "4 New Street",
    });

    // Assert
    expect(await normalized.customers(db.pool)).toContain("dana@example.com");
    expect(await normalized.addressesOf(db.pool, "dana@example.com")).toEqual(["4 New Street"]);
  });

  it("when a customer's only order is deleted, then the customer remains", async () => {
    // Act
    await normalized.deleteOrder(db.pool, 4);

    // Assert
    expect(await normalized.customers(db.pool)).toContain("chen@example.com");
    expect(await normalized.addressesOf(db.pool, "chen@example.com")).toEqual(["3 Quay Street"]);
  });

  it("when an order names a customer that does not exist, then the foreign key rejects it", async () => {
    // Act
    const orphan = db.pool.query(
      "INSERT INTO orders (customer_id, item, total) VALUES (999, 'ghost', 1)",
    );

    // Assert: 23503 is foreign_key_violation.
    await expect(orphan).rejects.toMatchObject({ code: "23503" });
  });

  it("when a customer who still has orders is deleted, then the foreign key rejects it", async () => {
    // Act
    const deleting = db.pool.query("DELETE FROM customers WHERE email = 'ada@example.com'");

    // Assert
    await expect(deleting).rejects.toMatchObject({ code: "23503" });
    expect(await normalized.customers(db.pool)).toContain("ada@example.com");
  });
});
