import { randomBytes } from "node:crypto";
import { defineDemo, ScratchDatabase } from "@playground/kit";
import { Redis } from "ioredis";
import { showChanges } from "./changes-demo.js";
import { CommandLog } from "./command-log.js";
import {
  createDocuments,
  documentRevenueByCountry,
  saveDocument,
  toDocument,
} from "./documents.js";
import { KeyValueShop } from "./key-value.js";
import {
  addCustomers,
  addProducts,
  countStatements,
  createRelational,
  revenueByCountry,
  saveOrder,
} from "./relational.js";
import {
  expectedRevenue,
  MALFORMED_ORDER,
  type RevenueByCountry,
  sampleShop,
} from "./sql-vs-nosql.js";

const sameRevenue = (a: RevenueByCountry, b: RevenueByCountry) =>
  JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

const failure = (error: unknown) => {
  const { code, message } = error as { code?: string; message?: string };
  return `${code ? `${code} ` : ""}${message?.split("\n")[0] ?? String(error)}`;
};

export default defineDemo({
  title: "SQL vs NoSQL",
  services: ["postgres", "redis"],
  async run(ctx) {
    // One PostgreSQL database of our own holds the relational tables and
    // the JSONB documents; Redis keys live under a prefix of our own. We
    // tear it all down as soon as we are done, and register the same
    // teardown with `defer`, which runs it (once) if we are interrupted.
    const db = await ScratchDatabase.create(ctx.services.postgres.url, "svn_demo");
    const redis = new Redis(ctx.services.redis.url);
    const watcher = new Redis(ctx.services.redis.url);
    const kv = new KeyValueShop(
      redis,
      `svn-demo:${process.pid}:${randomBytes(4).toString("hex")}:`,
    );
    const log = await CommandLog.attach(ctx.services.redis.url, redis);
    let tornDown: Promise<unknown> | undefined;
    const tearDown = () => {
      tornDown ??= (async () => {
        await log.close();
        await kv.clear().catch(() => {});
        redis.disconnect();
        watcher.disconnect();
        await db[Symbol.asyncDispose]();
      })();
      return tornDown;
    };
    ctx.defer(tearDown);

    const customers = ctx.fast ? 20 : 50;
    const shop = sampleShop(customers, 3);
    ctx.say(
      `One shop, three models: ${shop.customers.length} customers, ${shop.products.length} products, ` +
        `${shop.orders.length} orders of two lines each.`,
    );
    await createRelational(db.pool);
    await addCustomers(db.pool, shop.customers);
    await addProducts(db.pool, shop.products);
    await createDocuments(db.pool);
    await kv.addCustomers(shop.customers);
    await kv.addProducts(shop.products);
    const byId = new Map(shop.customers.map((c) => [c.id, c]));
    for (const order of shop.orders) {
      await saveOrder(db.pool, order);
      await saveDocument(db.pool, toDocument(order, byId.get(order.customerId)));
      await kv.saveOrder(order);
    }
    const sample = shop.orders[0]!;
    ctx.event(
      "relational",
      `order ${sample.id}`,
      "1 row in orders, 2 in order_lines, keyed to customers and products",
    );
    ctx.event(
      "document",
      `order ${sample.id}`,
      JSON.stringify(toDocument(sample, byId.get(sample.customerId))),
    );
    ctx.event(
      "key-value",
      `order ${sample.id}`,
      `${kv.key("order", sample.id)} (hash), ${kv.key("order", sample.id, "lines")} (list), ` +
        `${kv.key("customer", sample.customerId, "orders")} (set)`,
    );

    // Schema: the same malformed order, offered to each model.
    ctx.say("An order from a customer nobody knows, for minus two mugs, offered to each model:");
    const relationalVerdict = await saveOrder(db.pool, MALFORMED_ORDER).then(
      () => "stored",
      failure,
    );
    ctx.event("relational", "malformed order", relationalVerdict);
    await saveDocument(db.pool, toDocument(MALFORMED_ORDER));
    ctx.event("document", "malformed order", "stored");
    await kv.saveOrder(MALFORMED_ORDER);
    ctx.event("key-value", "malformed order", "stored");
    // We take the bad order out again, so the revenue below is comparable.
    await db.pool.query("DELETE FROM order_documents WHERE id = $1", [MALFORMED_ORDER.id]);
    await redis.del(
      kv.key("order", MALFORMED_ORDER.id),
      kv.key("order", MALFORMED_ORDER.id, "lines"),
    );
    await redis.del(kv.key("customer", MALFORMED_ORDER.customerId, "orders"));

    // The ad-hoc question. SQL and JSONB answer in one statement; Redis
    // makes the application walk the keys. The command log counts what the
    // Redis server actually received, independently of our own counters.
    ctx.say("Revenue per country, a question none of the models was designed for:");
    const expected = expectedRevenue(shop.customers, shop.orders);
    const timed = async <T>(work: () => Promise<T>) => {
      const start = performance.now();
      const value = await work();
      return { value, ms: performance.now() - start };
    };
    const sql = countStatements(db.pool);
    const relational = await timed(() => revenueByCountry(sql));
    ctx.event(
      "relational",
      "revenue per country",
      `${sql.statements} statement, ${relational.ms.toFixed(1)} ms`,
    );
    const docSql = countStatements(db.pool);
    const documents = await timed(() => documentRevenueByCountry(docSql));
    ctx.event(
      "document",
      "revenue per country",
      `${docSql.statements} statement, ${documents.ms.toFixed(1)} ms`,
    );
    const walks: Record<
      string,
      { ms: number; roundTrips: number; commands: number; seen: number }
    > = {};
    let kvAnswers = true;
    for (const pipelined of [false, true]) {
      await log.reset();
      kv.resetCounts();
      const walk = await timed(() => kv.revenueByCountry({ pipelined }));
      const seen = (await log.commands()).length;
      kvAnswers &&= sameRevenue(walk.value, expected);
      const label = pipelined ? "pipelined" : "one command at a time";
      walks[label] = { ms: walk.ms, ...kv.counts, seen };
      ctx.event(
        "key-value",
        `revenue per country, ${label}`,
        `${kv.counts.commands} commands (the server saw ${seen}), ${kv.counts.roundTrips} round trips, ${walk.ms.toFixed(1)} ms`,
      );
    }
    const walk = walks["one command at a time"]!;
    const pipelinedWalk = walks.pipelined!;
    const walkCommands = 1 + 2 * shop.customers.length + shop.orders.length;
    ctx.metric("relational: statements", sql.statements, "statements");
    ctx.metric("key-value: commands", walk.commands, "commands");
    ctx.metric("key-value: round trips, one command at a time", walk.roundTrips, "round trips");
    ctx.metric("key-value: round trips, pipelined", pipelinedWalk.roundTrips, "round trips");
    ctx.metric("relational: revenue query", Number(relational.ms.toFixed(2)), "ms");
    ctx.metric("key-value: revenue walk, one command at a time", Number(walk.ms.toFixed(2)), "ms");
    ctx.metric("key-value: revenue walk, pipelined", Number(pipelinedWalk.ms.toFixed(2)), "ms");

    // One change across several records: see changes-demo.ts.
    const changes = await showChanges(ctx, { db, kv, watcher });

    await tearDown();

    ctx.table([
      {
        question: "malformed order",
        relational:
          relationalVerdict.split(" ")[0] === "23503"
            ? "rejected (23503 foreign key)"
            : relationalVerdict,
        document: "stored",
        "key-value": "stored",
      },
      {
        question: "revenue per country",
        relational: `${sql.statements} statement, ${relational.ms.toFixed(1)} ms`,
        document: `${docSql.statements} statement, ${documents.ms.toFixed(1)} ms`,
        "key-value": `${walk.commands} commands: ${walk.roundTrips} round trips ${walk.ms.toFixed(1)} ms, or ${pipelinedWalk.roundTrips} pipelined ${pipelinedWalk.ms.toFixed(1)} ms`,
      },
      {
        question: "order with a sold-out line",
        relational: `rolled back: caps ${changes.sqlStocks[1]}, no order`,
        document: "(PostgreSQL transactions, as relational)",
        "key-value": `applied: caps ${changes.kvStocks[1]}, order stored`,
      },
      {
        question: "a command fails mid-transaction",
        relational: "whole transaction rolled back",
        document: "(as relational)",
        "key-value": `other ${changes.brokenReplies.length - changes.failed.length} commands applied`,
      },
      {
        question: "stock changed before commit",
        relational: "FOR UPDATE waits, SERIALIZABLE aborts (see transactions)",
        document: "(as relational)",
        "key-value": `WATCH: ${changes.watched}, nothing applied`,
      },
    ]);

    ctx.claim(
      "the relational model rejected the malformed order; the document and key-value models stored it",
      relationalVerdict.startsWith("23503"),
    );
    ctx.claim(
      "all three models gave the same revenue per country",
      sameRevenue(relational.value, expected) &&
        sameRevenue(documents.value, expected) &&
        kvAnswers,
    );
    ctx.claim(
      `SQL answered in one statement; the key-value walk took 1 + 2 × customers + orders = ${walkCommands} commands, one round trip each, or 3 pipelined`,
      sql.statements === 1 &&
        docSql.statements === 1 &&
        walk.commands === walkCommands &&
        walk.seen === walkCommands &&
        walk.roundTrips === walkCommands &&
        pipelinedWalk.roundTrips === 3 &&
        pipelinedWalk.seen === walkCommands,
    );
    ctx.claim(
      "the SQL transaction rolled back the order and every stock change when one line was sold out",
      changes.sqlOutcome.startsWith("23514") &&
        changes.sqlOrders === 0 &&
        changes.sqlStocks.join() === "5,1",
    );
    ctx.claim(
      "Redis MULTI/EXEC let the stock go negative, and kept the other commands when one failed with WRONGTYPE",
      changes.kvStocks[1] === -2 &&
        changes.kvStored &&
        changes.failed.length === 1 &&
        changes.brokenStored &&
        changes.mugsAfter === changes.mugsBefore - 2,
    );
    ctx.claim(
      "WATCH made EXEC apply nothing when the stock changed underneath",
      changes.watched === "conflict" && !changes.watchedStored,
    );
  },
});
