import { defineDemo, ScratchDatabase } from "@playground/kit";
import type pg from "pg";
import { medianMs, timeMs, waitsOnLock } from "./measure.js";
import { createShop, flat, normalized } from "./normalization.js";
import {
  addVolume,
  createStatsReadModel,
  createTotalsView,
  refreshTotalsView,
  TOP_TEN,
  TOP_TEN_FROM_STATS,
  TOP_TEN_FROM_VIEW,
  totalsOf,
  triggerWriteCost,
} from "./read-models.js";

const DANA = { email: "dana@example.com", name: "Dana", address: "4 New Street" };
const round = (value: number, digits = 1) => Number(value.toFixed(digits));

/** The error code PostgreSQL rejected `work` with, or "accepted". */
async function outcome(work: Promise<unknown>): Promise<string> {
  return work.then(
    () => "accepted",
    (error: { code?: string; message?: string }) => `rejected (${error.code}: ${error.message})`,
  );
}

export default defineDemo({
  title: "Normalization",
  services: ["postgres"],
  async run(ctx) {
    const db = await ScratchDatabase.create(ctx.services.postgres.url, "normalization_demo");
    ctx.defer(() => db[Symbol.asyncDispose]());
    const pool = db.pool;
    await createShop(pool);
    ctx.say(
      "Four orders, two of them Ada's. flat_orders copies each customer's name and address into " +
        "every order; the 3NF tables keep customers once and point at them with a foreign key.",
    );

    // The same three operations on both shapes. Only the flat one can
    // end up saying two things at once, or forgetting a customer.
    await flat.moveCustomer(pool, 2, "9 New Road");
    await normalized.moveCustomer(pool, 2, "9 New Road");
    const flatAddresses = await flat.addressesOf(pool, "ada@example.com");
    const normalAddresses = await normalized.addressesOf(pool, "ada@example.com");
    ctx.event(
      "flat",
      "Ada moves; address edited on order 2",
      `Ada's addresses now: ${flatAddresses.join(" | ")}`,
    );
    ctx.event(
      "3nf",
      "Ada moves; address edited from order 2",
      `Ada's addresses now: ${normalAddresses.join(" | ")}`,
    );

    const flatSignUp = await outcome(flat.addCustomer(pool, DANA));
    const normalSignUp = await outcome(normalized.addCustomer(pool, DANA));
    ctx.event("flat", "Dana signs up before ordering", flatSignUp);
    ctx.event("3nf", "Dana signs up before ordering", normalSignUp);

    await flat.deleteOrder(pool, 4);
    await normalized.deleteOrder(pool, 4);
    const flatKnowsChen = (await flat.customers(pool)).includes("chen@example.com");
    const normalKnowsChen = (await normalized.customers(pool)).includes("chen@example.com");
    ctx.event(
      "flat",
      "Chen's only order is deleted",
      flatKnowsChen ? "Chen still known" : "Chen is gone: name, address, everything",
    );
    ctx.event(
      "3nf",
      "Chen's only order is deleted",
      normalKnowsChen ? "Chen is still a customer" : "Chen is gone",
    );

    const orphan = await outcome(
      pool.query("INSERT INTO orders (customer_id, item, total) VALUES (999, 'ghost', 1)"),
    );
    ctx.event("3nf", "an order for customer 999, who does not exist", orphan);

    // Now volume, and the read that normalization makes expensive: the
    // ten best customers means summing every order.
    const customers = ctx.fast ? 5_000 : 10_000;
    const orders = ctx.fast ? 50_000 : 100_000;
    const loadStart = performance.now();
    await addVolume(pool, { customers, orders });
    await createTotalsView(pool);
    await createStatsReadModel(pool);
    ctx.event(
      "postgres",
      `loaded ${customers.toLocaleString("en")} customers, ${orders.toLocaleString("en")} orders`,
      `${Math.round(performance.now() - loadStart)} ms, with the view and the trigger's read model`,
    );

    const computeMs = await medianMs(() => pool.query(TOP_TEN));
    const viewReadMs = await medianMs(() => pool.query(TOP_TEN_FROM_VIEW));
    const statsReadMs = await medianMs(() => pool.query(TOP_TEN_FROM_STATS));
    ctx.metric("top ten computed from orders", round(computeMs), "ms");
    ctx.metric("top ten read from the materialized view", round(viewReadMs, 2), "ms");
    ctx.metric("top ten read from the trigger's read model", round(statsReadMs, 2), "ms");

    // The materialized view: one new order, and the view does not know.
    const customer = 101;
    const before = await totalsOf(pool, customer);
    await pool.query("INSERT INTO orders (customer_id, item, total) VALUES ($1, 'big', 500)", [
      customer,
    ]);
    const stale = await totalsOf(pool, customer);
    const viewWasStale =
      stale.view?.revenue === before.view?.revenue &&
      stale.orders?.revenue !== before.orders?.revenue;
    ctx.event(
      "view",
      "customer 101 orders 500 more",
      `orders say ${stale.orders?.revenue}, the view still says ${stale.view?.revenue}, the trigger's model says ${stale.stats?.revenue}`,
    );
    const refreshMs = await timeMs(() => refreshTotalsView(pool));
    const fresh = await totalsOf(pool, customer);
    ctx.event("view", "REFRESH MATERIALIZED VIEW CONCURRENTLY", `now says ${fresh.view?.revenue}`);
    ctx.metric("REFRESH after one new order", round(refreshMs), "ms");
    ctx.metric("REFRESH cost ÷ one run of the query", round(refreshMs / computeMs, 2), "x");

    // The trigger's read model: always fresh, paid for on every write.
    const batch = 2_000;
    const { plainMs: plainInsertMs, triggerMs: triggerInsertMs } = await triggerWriteCost(pool, {
      batch,
      customers,
      rounds: ctx.fast ? 5 : 9,
    });
    const writeCost = triggerInsertMs / plainInsertMs;
    ctx.metric(`insert ${batch} orders, no read model`, round(plainInsertMs), "ms");
    ctx.metric(
      `insert ${batch} orders, trigger keeps the read model`,
      round(triggerInsertMs),
      "ms",
    );
    ctx.metric("write cost of the trigger", round(writeCost, 2), "x");

    // Two transactions adding orders for the same customer now meet on
    // that customer's row in `customer_stats`.
    const waited = await sameCustomerWaits(pool, customer);
    ctx.event(
      "stats",
      "two transactions add an order for customer 101 at once",
      waited
        ? "the second waits on the read model's row until the first commits"
        : "neither waited",
    );

    const finalTotals = await totalsOf(pool, customer);
    ctx.table([
      {
        read: "computed from the orders (3NF)",
        "top ten ms": round(computeMs),
        "extra cost per write": "none",
        fresh: "always",
      },
      {
        read: "materialized view",
        "top ten ms": round(viewReadMs, 2),
        "extra cost per write": "none",
        fresh: `after each REFRESH (${round(refreshMs)} ms)`,
      },
      {
        read: "trigger-maintained read model",
        "top ten ms": round(statsReadMs, 2),
        "extra cost per write": `${round(writeCost, 1)}x insert time, row lock per customer`,
        fresh: "always",
      },
    ]);

    ctx.claim(
      "update anomaly: editing one copy left Ada with two addresses in the flat table, one in 3NF",
      flatAddresses.length === 2 && normalAddresses.length === 1,
    );
    ctx.claim(
      "insertion anomaly: the flat table could not store a customer without an order; 3NF could",
      flatSignUp.startsWith("rejected (23502") && normalSignUp === "accepted",
    );
    ctx.claim(
      "deletion anomaly: deleting Chen's last order erased Chen from the flat table, not from 3NF",
      !flatKnowsChen && normalKnowsChen,
    );
    ctx.claim(
      "the foreign key refused an order for a customer who does not exist",
      orphan.startsWith("rejected (23503"),
    );
    ctx.claim(
      "the materialized view read faster than the query, was stale until REFRESH, and a REFRESH cost more than half a full run of the query",
      computeMs / viewReadMs > 5 &&
        viewWasStale &&
        fresh.view?.revenue === stale.orders?.revenue &&
        refreshMs / computeMs > 0.5,
    );
    ctx.claim(
      "the trigger's read model was never stale, and made writes dearer and same-customer writes queue",
      stale.stats?.revenue === stale.orders?.revenue &&
        finalTotals.stats?.revenue === finalTotals.orders?.revenue &&
        writeCost > 1.5 &&
        waited,
    );
  },
});

async function sameCustomerWaits(pool: pg.Pool, customerId: number): Promise<boolean> {
  const first = await pool.connect();
  const second = await pool.connect();
  try {
    const pid = (await second.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!
      .pid;
    await first.query("BEGIN");
    await first.query("INSERT INTO orders (customer_id, item, total) VALUES ($1, 'a', 1)", [
      customerId,
    ]);
    const inserting = second.query(
      "INSERT INTO orders (customer_id, item, total) VALUES ($1, 'b', 1)",
      [customerId],
    );
    const waited = await waitsOnLock(pool, pid, { timeoutMs: 5_000 });
    await first.query("COMMIT");
    await inserting;
    return waited;
  } finally {
    first.release();
    second.release();
  }
}
