import type { DemoContext, ScratchDatabase } from "@playground/kit";
import type { Redis } from "ioredis";
import { KeyValueShop } from "./key-value.js";
import { addProducts, saveOrder } from "./relational.js";
import type { Order, Product } from "./sql-vs-nosql.js";

type Narration = Pick<DemoContext, "say" | "event">;

const failure = (error: unknown) => {
  const { code, message } = error as { code?: string; message?: string };
  return `${code ? `${code} ` : ""}${message?.split("\n")[0] ?? String(error)}`;
};

/**
 * The demo's third act: one order that touches several records, placed
 * with a SQL transaction and with Redis MULTI/EXEC, then with WATCH.
 * `watcher` is a second Redis connection, because WATCH belongs to one.
 */
export async function showChanges(
  ctx: Narration,
  { db, kv, watcher }: { db: ScratchDatabase; kv: KeyValueShop; watcher: Redis },
) {
  const redis = kv.redis;
  // One change across several records: an order, its lines, and the
  // stock of each product, where the second product is nearly sold out.
  ctx.say("An order for 2 mugs and 3 caps, when only 1 cap is left:");
  const mugs: Product = { sku: "demo-mug", name: "Mug", priceCents: 1200, stock: 5 };
  const caps: Product = { sku: "demo-cap", name: "Cap", priceCents: 1800, stock: 1 };
  await addProducts(db.pool, [mugs, caps]);
  await kv.addProducts([mugs, caps]);
  const order: Order = {
    id: "demo-order",
    customerId: "c1",
    status: "placed",
    lines: [
      { sku: mugs.sku, quantity: 2, unitPriceCents: mugs.priceCents },
      { sku: caps.sku, quantity: 3, unitPriceCents: caps.priceCents },
    ],
  };
  const stock = async (sku: string) => {
    const { rows } = await db.pool.query<{ stock: number }>(
      "SELECT stock FROM products WHERE sku = $1",
      [sku],
    );
    return rows[0]?.stock;
  };
  const sqlOutcome = await saveOrder(db.pool, order, { takeStock: true }).then(
    () => "committed",
    failure,
  );
  const sqlStocks = [await stock(mugs.sku), await stock(caps.sku)];
  const { rows: sqlOrderRows } = await db.pool.query("SELECT 1 FROM orders WHERE id = $1", [
    order.id,
  ]);
  ctx.event(
    "relational",
    "BEGIN … COMMIT",
    `${sqlOutcome}; order stored: ${sqlOrderRows.length > 0}, stock mugs ${sqlStocks[0]}, caps ${sqlStocks[1]}`,
  );

  const kvStock = async (sku: string) => Number(await redis.hget(kv.key("product", sku), "stock"));
  const replies = await kv.placeOrder(order);
  const kvStocks = [await kvStock(mugs.sku), await kvStock(caps.sku)];
  const kvStored = (await redis.exists(kv.key("order", order.id))) === 1;
  ctx.event(
    "key-value",
    "MULTI … EXEC",
    `${replies.filter(([e]) => !e).length} of ${replies.length} commands applied; order stored: ${kvStored}, stock mugs ${kvStocks[0]}, caps ${kvStocks[1]}`,
  );

  // A command that fails inside EXEC does not undo the others.
  ctx.say("The same MULTI … EXEC, when one product key holds a string instead of a hash:");
  await redis.set(kv.key("product", "demo-broken"), "not a hash");
  const broken: Order = {
    ...order,
    id: "demo-order-2",
    lines: [order.lines[0]!, { sku: "demo-broken", quantity: 1, unitPriceCents: 100 }],
  };
  const mugsBefore = await kvStock(mugs.sku);
  const brokenReplies = await kv.placeOrder(broken);
  const failed = brokenReplies.filter(([error]) => error);
  const brokenStored = (await redis.exists(kv.key("order", broken.id))) === 1;
  const mugsAfter = await kvStock(mugs.sku);
  ctx.event(
    "key-value",
    "MULTI … EXEC",
    `${failed.map(([e]) => e?.message.split(" ")[0]).join(", ")} on one command; the other ${brokenReplies.length - failed.length} stayed applied (order stored: ${brokenStored}, mugs ${mugsBefore} → ${mugsAfter})`,
  );

  // Optimistic locking is how Redis checks before it writes.
  ctx.say("With WATCH: check the stock, and another client buys mugs before our EXEC:");
  await redis.hset(kv.key("product", mugs.sku), "stock", 5);
  const careful = new KeyValueShop(watcher, kv.prefix);
  const watched = await careful.placeOrderIfInStock(
    { ...order, id: "demo-order-3", lines: [order.lines[0]!] },
    async () => {
      await redis.hincrby(kv.key("product", mugs.sku), "stock", -4);
      ctx.event("other client", "buys 4 mugs");
    },
  );
  const watchedStored = (await redis.exists(kv.key("order", "demo-order-3"))) === 1;
  ctx.event("key-value", "WATCH … MULTI … EXEC", `${watched}; order stored: ${watchedStored}`);

  return {
    sqlOutcome,
    sqlOrders: sqlOrderRows.length,
    sqlStocks,
    kvStocks,
    kvStored,
    brokenReplies,
    failed,
    brokenStored,
    mugsBefore,
    mugsAfter,
    watched,
    watchedStored,
  };
}
