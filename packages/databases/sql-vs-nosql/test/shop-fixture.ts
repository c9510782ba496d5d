import { randomBytes } from "node:crypto";
import { ScratchDatabase, services } from "@playground/kit";
import { Redis } from "ioredis";
import { createDocuments, saveDocument, toDocument } from "../src/documents.js";
import { KeyValueShop } from "../src/key-value.js";
import { addCustomers, addProducts, createRelational, saveOrder } from "../src/relational.js";
import { type Product, sampleShop } from "../src/sql-vs-nosql.js";

/**
 * The same shop in all three models, for one test file: a scratch
 * PostgreSQL database holding the relational tables and the document table,
 * and a Redis key prefix of its own. `close()` drops and deletes it all.
 */
export interface TestShop {
  db: ScratchDatabase;
  redis: Redis;
  redisUrl: string;
  kv: KeyValueShop;
  data: ReturnType<typeof sampleShop>;
  close(): Promise<void>;
}

export async function openTestShop(
  prefix: string,
  size: { customers?: number; ordersEach?: number } = {},
): Promise<TestShop> {
  const [postgres, redisServer] = await Promise.all([services.postgres(), services.redis()]);
  const db = await ScratchDatabase.create(postgres.url, prefix);
  const redis = new Redis(redisServer.url);
  const kv = new KeyValueShop(redis, `${prefix}:${process.pid}:${randomBytes(4).toString("hex")}:`);
  const data = sampleShop(size.customers, size.ordersEach);

  await createRelational(db.pool);
  await addCustomers(db.pool, data.customers);
  await addProducts(db.pool, data.products);
  await createDocuments(db.pool);
  await kv.addCustomers(data.customers);
  await kv.addProducts(data.products);
  const byId = new Map(data.customers.map((c) => [c.id, c]));
  for (const order of data.orders) {
    await saveOrder(db.pool, order);
    await saveDocument(db.pool, toDocument(order, byId.get(order.customerId)));
    await kv.saveOrder(order);
  }
  kv.resetCounts();

  return {
    db,
    redis,
    redisUrl: redisServer.url,
    kv,
    data,
    async close() {
      await kv.clear();
      redis.disconnect();
      await db[Symbol.asyncDispose]();
    },
  };
}

let counter = 0;

/** A product no other test in this file uses. */
export function uniqueProduct(stock: number): Product {
  const sku = `p${++counter}`;
  return { sku, name: `Product ${counter}`, priceCents: 1000, stock };
}
