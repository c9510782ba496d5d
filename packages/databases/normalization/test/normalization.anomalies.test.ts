import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { ScratchDatabase, services } from "@playground/kit";
import { createShop, flat } from "../src/normalization.js";

// The denormalized table: Ada's name and address are stored on both of
// her orders (1 and 2); Chen's only order is 4.
describe("normalization: the anomalies of a denormalized table", () => {
  let db: ScratchDatabase;

  beforeAll(async () => {
    const server = await services.postgres();
    db = await ScratchDatabase.create(server.url, "normalization_flat");
  });

  beforeEach(async () => {
    await createShop(db.pool);
  });

  afterAll(async () => {
    await db?.[Symbol.asyncDispose]();
  });

  it("when a customer's address is changed on one of their orders, then their other order keeps the old one and the table holds two addresses for one customer", async () => {
    // Arrange
    expect(await flat.addressesOf(db.pool, "ada@example.com")).toEqual(["1 Old Road"]);

    // Act
    await flat.moveCustomer(db.pool, 2, "9 New Road");

    // Assert
    expect(await flat.addressesOf(db.pool, "ada@example.com")).toEqual([
      "1 Old Road",
      "9 New Road",
    ]);
  });

  it("when a customer signs up before ordering, then the flat table cannot store them: the insert is rejected", async () => {
    // Arrange
    const before = await flat.customers(db.pool);

    // Act
    const adding = flat.addCustomer(db.pool, {
      email: "dana@example.com",
      name: "Dana",
      address: "4 New Street",
    });

    // Assert: 23502 is not_null_violation; there is no order_id to give.
    await expect(adding).rejects.toMatchObject({ code: "23502", column: "order_id" });
    expect(await flat.customers(db.pool)).toEqual(before);
    expect(before).not.toContain("dana@example.com");
  });

  it("when a customer's only order is deleted, then everything known about the customer is deleted with it", async () => {
    // Arrange
    expect(await flat.customers(db.pool)).toContain("chen@example.com");

    // Act
    await flat.deleteOrder(db.pool, 4);

    // Assert
    expect(await flat.customers(db.pool)).not.toContain("chen@example.com");
    expect(await flat.addressesOf(db.pool, "chen@example.com")).toEqual([]);
  });
});
