import type { Redis } from "ioredis";
import type { Customer, LineItem, Order, Product, RevenueByCountry } from "./sql-vs-nosql.js";

// The key-value model: Redis knows keys, and under each key one structure
// (a string, a hash, a list, a set). It knows nothing about how the keys
// relate, so we design the keys around the questions we expect:
//
//   <prefix>customers               set of customer ids
//   <prefix>customer:<id>           hash: name, email, country
//   <prefix>customer:<id>:orders    set of that customer's order ids
//   <prefix>order:<id>              hash: customerId, status
//   <prefix>order:<id>:lines        list of JSON line items
//   <prefix>product:<sku>           hash: name, priceCents, stock
//
// Every read of a known key is one fast command. A question the keys were
// not designed for becomes a walk across them, written by us.

/** What Redis answered for one command inside MULTI/EXEC: an error or a result. */
export type ExecReply = [error: Error | null, result: unknown];

/** One shop's data in Redis, under its own key prefix, counting what it sends. */
export class KeyValueShop {
  /** Round trips (a pipeline or MULTI/EXEC is one) and commands sent since `resetCounts()`. */
  readonly counts = { roundTrips: 0, commands: 0 };

  constructor(
    readonly redis: Redis,
    readonly prefix: string,
  ) {}

  key(...parts: string[]): string {
    return `${this.prefix}${parts.join(":")}`;
  }

  resetCounts(): void {
    this.counts.roundTrips = 0;
    this.counts.commands = 0;
  }

  /** Sends a batch of commands in one round trip and returns their results. */
  async batch(commands: (string | number)[][]): Promise<unknown[]> {
    if (commands.length === 0) return [];
    this.counts.roundTrips++;
    this.counts.commands += commands.length;
    const pipeline = this.redis.pipeline();
    for (const [name, ...args] of commands) pipeline.call(String(name), ...args);
    const replies = (await pipeline.exec()) ?? [];
    return replies.map(([error, result]) => {
      if (error) throw error;
      return result;
    });
  }

  /** Sends one command and waits for its answer: one round trip. */
  async one(...command: (string | number)[]): Promise<unknown> {
    const [result] = await this.batch([command]);
    return result;
  }

  async addCustomers(customers: Customer[]): Promise<void> {
    await this.batch(
      customers.flatMap((c) => [
        [
          "HSET",
          this.key("customer", c.id),
          "name",
          c.name,
          "email",
          c.email,
          "country",
          c.country,
        ],
        ["SADD", this.key("customers"), c.id],
      ]),
    );
  }

  async addProducts(products: Product[]): Promise<void> {
    await this.batch(
      products.map((p) => [
        "HSET",
        this.key("product", p.sku),
        "name",
        p.name,
        "priceCents",
        p.priceCents,
        "stock",
        p.stock,
      ]),
    );
  }

  /** The commands that store an order; Redis checks none of the values. */
  orderCommands(order: Order): (string | number)[][] {
    return [
      ["HSET", this.key("order", order.id), "customerId", order.customerId, "status", order.status],
      ["RPUSH", this.key("order", order.id, "lines"), ...order.lines.map((l) => JSON.stringify(l))],
      ["SADD", this.key("customer", order.customerId, "orders"), order.id],
    ];
  }

  async saveOrder(order: Order): Promise<void> {
    await this.batch(this.orderCommands(order));
  }

  // Revenue per country, the question the keys were not designed for. The
  // database cannot join or sum across keys, so the application walks them:
  // every customer, then every customer's orders, then every order's lines,
  // and adds up in JavaScript. That is 1 + 2 × customers + orders commands.
  // Pipelining sends each level in one round trip, so 3 round trips
  // instead of one per command, but the commands and the data shipped to
  // the application stay the same.

  /** Revenue per country, in cents, computed in the application. */
  async revenueByCountry({ pipelined = false } = {}): Promise<RevenueByCountry> {
    const send = (commands: (string | number)[][]) =>
      pipelined ? this.batch(commands) : sequentially(commands, (c) => this.one(...c));
    const customerIds = (await this.one("SMEMBERS", this.key("customers"))) as string[];
    const perCustomer = await send(
      customerIds.flatMap((id) => [
        ["HGET", this.key("customer", id), "country"],
        ["SMEMBERS", this.key("customer", id, "orders")],
      ]),
    );
    const orders: { country: string; orderId: string }[] = [];
    customerIds.forEach((_, i) => {
      const country = perCustomer[2 * i] as string;
      for (const orderId of perCustomer[2 * i + 1] as string[]) orders.push({ country, orderId });
    });
    const lineLists = await send(
      orders.map(({ orderId }) => ["LRANGE", this.key("order", orderId, "lines"), 0, -1]),
    );
    const revenue: RevenueByCountry = {};
    orders.forEach(({ country }, i) => {
      for (const json of lineLists[i] as string[]) {
        const line = JSON.parse(json) as LineItem;
        revenue[country] = (revenue[country] ?? 0) + line.quantity * line.unitPriceCents;
      }
    });
    return revenue;
  }

  // Placing an order touches the order, its lines, the customer's set and
  // each product's stock. MULTI/EXEC runs them as one block: no other
  // client's command runs in between. But it is not a transaction in the
  // SQL sense. Nothing checks that stock stays at or above zero, and a
  // command that fails while running (WRONGTYPE, say) fails alone: the
  // commands before and after it stay applied. There is no ROLLBACK.

  /** Stores the order and takes its stock in one MULTI/EXEC; returns each command's reply. */
  async placeOrder(order: Order): Promise<ExecReply[]> {
    this.counts.roundTrips++;
    const multi = this.redis.multi();
    const commands = [...this.orderCommands(order), ...this.stockCommands(order)];
    this.counts.commands += commands.length + 2;
    for (const [name, ...args] of commands) multi.call(String(name), ...args);
    return ((await multi.exec()) ?? []) as ExecReply[];
  }

  stockCommands(order: Order): (string | number)[][] {
    return order.lines.map((l) => ["HINCRBY", this.key("product", l.sku), "stock", -l.quantity]);
  }

  // To keep stock from going negative, Redis offers optimistic locking:
  // WATCH the stock keys, read them, decide, then MULTI/EXEC. If anyone
  // wrote a watched key in between, EXEC does nothing and answers null, and
  // we must read and decide again. (A Lua script is the other way.)

  /**
   * Places the order only if every line is in stock, with WATCH. Returns
   * "placed", "out of stock", or "conflict" if a watched key changed first.
   */
  async placeOrderIfInStock(
    order: Order,
    beforeExec: () => Promise<void> = async () => {},
  ): Promise<"placed" | "out of stock" | "conflict"> {
    const stockKeys = order.lines.map((l) => this.key("product", l.sku));
    await this.one("WATCH", ...stockKeys);
    const stocks = await this.batch(stockKeys.map((key) => ["HGET", key, "stock"]));
    if (order.lines.some((line, i) => Number(stocks[i]) < line.quantity)) {
      await this.one("UNWATCH");
      return "out of stock";
    }
    await beforeExec();
    const replies = await this.placeOrder(order);
    return replies.length === 0 ? "conflict" : "placed";
  }

  /** Deletes every key under this shop's prefix. */
  async clear(): Promise<void> {
    let cursor = "0";
    do {
      const [next, keys] = await this.redis.scan(cursor, "MATCH", `${this.prefix}*`, "COUNT", 500);
      if (keys.length > 0) await this.redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  }
}

async function sequentially<T, R>(items: T[], run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (const item of items) results.push(await run(item));
  return results;
}
