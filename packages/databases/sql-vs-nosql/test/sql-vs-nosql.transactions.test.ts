import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Redis } from "ioredis";
import { KeyValueShop } from "../src/key-value.js";
import { addProducts, saveOrder } from "../src/relational.js";
import type { Order, Product } from "../src/sql-vs-nosql.js";
import { openTestShop, type TestShop, uniqueProduct } from "./shop-fixture.js";

const codeOf = (error: unknown) => (error as { code?: string }).code;

let orderCounter = 0;
const orderFor = (...lines: [Product, number][]): Order => ({
  id: `tx-${++orderCounter}`,
  customerId: "c1",
  status: "placed",
  lines: lines.map(([product, quantity]) => ({
    sku: product.sku,
    quantity,
    unitPriceCents: product.priceCents,
  })),
});

describe("sql-vs-nosql: one change across several records", () => {
  let shop: TestShop;

  beforeAll(async () => {
    shop = await openTestShop("svn_transactions");
  });

  afterAll(async () => {
    await shop?.close();
  });

  const sqlStock = async (sku: string) => {
    const { rows } = await shop.db.pool.query<{ stock: number }>(
      "SELECT stock FROM products WHERE sku = $1",
      [sku],
    );
    return rows[0]?.stock;
  };
  const sqlOrderRows = async (id: string) => {
    const { rows } = await shop.db.pool.query<{ n: string }>(
      `SELECT (SELECT COUNT(*) FROM orders WHERE id = $1)
            + (SELECT COUNT(*) FROM order_lines WHERE order_id = $1) AS n`,
      [id],
    );
    return Number(rows[0]?.n);
  };
  const kvStock = async (sku: string) =>
    Number(await shop.redis.hget(shop.kv.key("product", sku), "stock"));
  const kvOrderExists = async (id: string) =>
    (await shop.redis.exists(shop.kv.key("order", id))) === 1 &&
    (await shop.redis.sismember(shop.kv.key("customer", "c1", "orders"), id)) === 1;

  it("when every line is in stock, then the SQL transaction commits the order, its lines and both stock changes together", async () => {
    // Arrange
    const [mug, tee] = [uniqueProduct(5), uniqueProduct(5)];
    await addProducts(shop.db.pool, [mug, tee]);
    const order = orderFor([mug, 2], [tee, 1]);

    // Act
    await saveOrder(shop.db.pool, order, { takeStock: true });

    // Assert
    expect(await sqlOrderRows(order.id)).toBe(3);
    expect([await sqlStock(mug.sku), await sqlStock(tee.sku)]).toEqual([3, 4]);
  });

  it("when the second line is out of stock, then the SQL transaction rolls back the order, its lines and the first line's stock", async () => {
    // Arrange
    const [mug, tee] = [uniqueProduct(5), uniqueProduct(1)];
    await addProducts(shop.db.pool, [mug, tee]);
    const order = orderFor([mug, 2], [tee, 3]);

    // Act
    const error = await saveOrder(shop.db.pool, order, { takeStock: true }).catch(
      (e: unknown) => e,
    );

    // Assert: 23514, products_stock_check.
    expect(codeOf(error)).toBe("23514");
    expect(await sqlOrderRows(order.id)).toBe(0);
    expect([await sqlStock(mug.sku), await sqlStock(tee.sku)]).toEqual([5, 1]);
  });

  it("when a command inside MULTI/EXEC fails with WRONGTYPE, then Redis still applies the commands around it: there is no rollback", async () => {
    // Arrange: the tee's key holds a string, not a hash, so HINCRBY on it fails.
    const [mug, tee] = [uniqueProduct(5), uniqueProduct(5)];
    await shop.kv.addProducts([mug]);
    await shop.redis.set(shop.kv.key("product", tee.sku), "not a hash");
    const order = orderFor([mug, 2], [tee, 1]);

    // Act
    const replies = await shop.kv.placeOrder(order);

    // Assert
    const errors = replies.filter(([error]) => error !== null);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.[0]?.message).toMatch(/^WRONGTYPE/);
    expect(replies).toHaveLength(5);
    expect(await kvOrderExists(order.id)).toBe(true);
    expect(await kvStock(mug.sku)).toBe(3);
  });

  it("when MULTI/EXEC takes more stock than there is, then Redis applies it and the stock goes negative", async () => {
    // Arrange
    const cap = uniqueProduct(1);
    await shop.kv.addProducts([cap]);
    const order = orderFor([cap, 3]);

    // Act
    const replies = await shop.kv.placeOrder(order);

    // Assert
    expect(replies.every(([error]) => error === null)).toBe(true);
    expect(await kvStock(cap.sku)).toBe(-2);
    expect(await kvOrderExists(order.id)).toBe(true);
  });

  it("when a queued command is malformed, then Redis refuses the whole MULTI/EXEC with EXECABORT and applies nothing", async () => {
    // Arrange
    const mug = uniqueProduct(5);
    await shop.kv.addProducts([mug]);
    const order = orderFor([mug, 2]);
    const multi = shop.redis.multi();
    for (const [name, ...args] of shop.kv.orderCommands(order)) multi.call(String(name), ...args);
    multi.call("HINCRBY", shop.kv.key("product", mug.sku), "stock"); // one argument short

    // Act
    const error = await multi.exec().catch((e: unknown) => e);

    // Assert
    expect((error as Error).message).toMatch(/^EXECABORT/);
    expect(await kvOrderExists(order.id)).toBe(false);
    expect(await kvStock(mug.sku)).toBe(5);
  });

  it("when another client changes a WATCHed stock before EXEC, then EXEC applies nothing and the order must be retried", async () => {
    // Arrange: a connection of its own, because WATCH belongs to a connection.
    const mug = uniqueProduct(5);
    await shop.kv.addProducts([mug]);
    const own = new Redis(shop.redisUrl);
    const kv = new KeyValueShop(own, shop.kv.prefix);
    const order = orderFor([mug, 2]);

    // Act
    const outcome = await kv.placeOrderIfInStock(order, async () => {
      await shop.redis.hincrby(shop.kv.key("product", mug.sku), "stock", -4);
    });
    const retried = await kv.placeOrderIfInStock(order);
    own.disconnect();

    // Assert
    expect(outcome).toBe("conflict");
    expect(retried).toBe("out of stock");
    expect(await kvOrderExists(order.id)).toBe(false);
    expect(await kvStock(mug.sku)).toBe(1);
  });
});
