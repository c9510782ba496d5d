import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import {
  createDocuments,
  documentRevenueByCountry,
  saveDocument,
  toDocument,
} from "../src/documents.js";
import { saveOrder } from "../src/relational.js";
import { MALFORMED_ORDER, type Order } from "../src/sql-vs-nosql.js";
import { openTestShop, type TestShop } from "./shop-fixture.js";

const codeOf = (error: unknown) => (error as { code?: string }).code;

describe("sql-vs-nosql: who checks the schema", () => {
  let shop: TestShop;

  beforeAll(async () => {
    shop = await openTestShop("svn_schema");
  });

  afterAll(async () => {
    await shop?.close();
  });

  const ordersNamed = async (id: string) => {
    const { rows } = await shop.db.pool.query("SELECT id FROM orders WHERE id = $1", [id]);
    return rows.length;
  };

  it("when the relational model is given an order for a customer that does not exist, then the foreign key rejects it and nothing is stored", async () => {
    // Arrange
    const order: Order = { ...MALFORMED_ORDER, id: "ghost-order" };

    // Act
    const error = await saveOrder(shop.db.pool, order).catch((e: unknown) => e);

    // Assert: 23503 is foreign_key_violation.
    expect(codeOf(error)).toBe("23503");
    expect((error as Error).message).toContain("orders_customer_id_fkey");
    expect(await ordersNamed("ghost-order")).toBe(0);
  });

  it("when the relational model is given a line for minus two mugs, then the CHECK constraint rejects it and the order's other rows are rolled back", async () => {
    // Arrange: a real customer this time, so only the quantity is wrong.
    const order: Order = { ...MALFORMED_ORDER, id: "negative-order", customerId: "c1" };

    // Act
    const error = await saveOrder(shop.db.pool, order).catch((e: unknown) => e);

    // Assert: 23514 is check_violation.
    expect(codeOf(error)).toBe("23514");
    expect((error as Error).message).toContain("order_lines_quantity_check");
    expect(await ordersNamed("negative-order")).toBe(0);
  });

  it("when the document model is given the malformed order, then it stores it without complaint", async () => {
    // Arrange
    const document = toDocument({ ...MALFORMED_ORDER, id: "doc-bad" });

    // Act
    await saveDocument(shop.db.pool, document);

    // Assert
    const { rows } = await shop.db.pool.query<{ doc: Order }>(
      "SELECT doc FROM order_documents WHERE id = 'doc-bad'",
    );
    expect(rows[0]?.doc.customerId).toBe("ghost");
    expect(rows[0]?.doc.lines[0]?.quantity).toBe(-2);
  });

  it("when the key-value model is given the malformed order, then it stores it without complaint", async () => {
    // Arrange
    const order: Order = { ...MALFORMED_ORDER, id: "kv-bad" };

    // Act
    await shop.kv.saveOrder(order);

    // Assert
    expect(await shop.redis.hgetall(shop.kv.key("order", "kv-bad"))).toEqual({
      customerId: "ghost",
      status: "placed",
    });
    const lines = await shop.redis.lrange(shop.kv.key("order", "kv-bad", "lines"), 0, -1);
    expect(lines.map((line) => JSON.parse(line).quantity)).toEqual([-2]);
  });

  it('when a document with a quantity of "two" was accepted, then the error surfaces later, in every query that reads it', async () => {
    // Arrange
    await createDocuments(shop.db.pool, { table: "loose_documents" });
    const order = { ...MALFORMED_ORDER, id: "doc-two", lines: [{ sku: "mug", quantity: "two" }] };
    await saveDocument(shop.db.pool, order, "loose_documents");

    // Act
    const error = await documentRevenueByCountry(shop.db.pool, "loose_documents").catch(
      (e: unknown) => e,
    );

    // Assert: 22P02 is invalid_text_representation, raised at read time.
    expect(codeOf(error)).toBe("22P02");
  });

  it("when the document table checks its documents' shape with a JSON path, then it rejects the negative quantity but still accepts the unknown customer", async () => {
    // Arrange
    await createDocuments(shop.db.pool, { table: "checked_documents", checkShape: true });
    const negative = toDocument({ ...MALFORMED_ORDER, id: "checked-negative" });
    const ghost = toDocument({
      ...MALFORMED_ORDER,
      id: "checked-ghost",
      lines: [{ sku: "mug", quantity: 1, unitPriceCents: 1200 }],
    });

    // Act
    const rejected = await saveDocument(shop.db.pool, negative, "checked_documents").catch(
      (e: unknown) => e,
    );
    await saveDocument(shop.db.pool, ghost, "checked_documents");

    // Assert
    expect(codeOf(rejected)).toBe("23514");
    const { rows } = await shop.db.pool.query("SELECT id FROM checked_documents");
    expect(rows).toEqual([{ id: "checked-ghost" }]);
  });
});
