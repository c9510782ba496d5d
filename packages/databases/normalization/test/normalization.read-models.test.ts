import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { ScratchDatabase, services } from "@playground/kit";
import { medianMs, waitsOnLock } from "../src/measure.js";
import { createShop } from "../src/normalization.js";
import {
  addVolume,
  createStatsReadModel,
  createTotalsView,
  refreshTotalsView,
  setStatsTrigger,
  TOP_TEN,
  TOP_TEN_FROM_VIEW,
  totalsOf,
  triggerWriteCost,
} from "../src/read-models.js";

const CUSTOMERS = 5_000;
const ORDERS = 50_000;
const CUSTOMER = 101; // the first of the volume customers

describe("normalization: denormalizing on purpose, and the price of keeping it fresh", () => {
  let db: ScratchDatabase;

  beforeAll(async () => {
    const server = await services.postgres();
    db = await ScratchDatabase.create(server.url, "normalization_read");
    await createShop(db.pool);
    await addVolume(db.pool, { customers: CUSTOMERS, orders: ORDERS });
    await createTotalsView(db.pool);
    await createStatsReadModel(db.pool);
  });

  afterAll(async () => {
    await db?.[Symbol.asyncDispose]();
  });

  it("when an order is added, then the materialized view is stale until REFRESH, and right after it", async () => {
    // Arrange
    await refreshTotalsView(db.pool);
    const before = await totalsOf(db.pool, CUSTOMER);

    // Act
    await db.pool.query("INSERT INTO orders (customer_id, item, total) VALUES ($1, 'extra', 500)", [
      CUSTOMER,
    ]);
    const stale = await totalsOf(db.pool, CUSTOMER);
    await refreshTotalsView(db.pool);
    const refreshed = await totalsOf(db.pool, CUSTOMER);

    // Assert
    expect(stale.orders).toEqual({
      orders: before.orders!.orders + 1,
      revenue: before.orders!.revenue + 500,
    });
    expect(stale.view).toEqual(before.orders);
    expect(refreshed.view).toEqual(stale.orders);
  });

  it("when the top-ten report is read from the materialized view, then it is many times faster than computing it from the orders", async () => {
    // Arrange
    await refreshTotalsView(db.pool);
    const fromOrders = (await db.pool.query(TOP_TEN)).rows;
    const fromView = (await db.pool.query(TOP_TEN_FROM_VIEW)).rows;
    expect(fromView).toEqual(fromOrders);

    // Act
    const computeMs = await medianMs(() => db.pool.query(TOP_TEN));
    const readMs = await medianMs(() => db.pool.query(TOP_TEN_FROM_VIEW));

    // Assert
    expect(computeMs / readMs).toBeGreaterThan(5);
  });

  it("when one order is added, then REFRESH still recomputes everything: it costs more than half a full run of the query and many reads of the view", async () => {
    // Arrange
    const addOneAndRefresh = async () => {
      await db.pool.query("INSERT INTO orders (customer_id, item, total) VALUES ($1, 'one', 1)", [
        CUSTOMER,
      ]);
      await refreshTotalsView(db.pool);
    };
    const addOne = () =>
      db.pool.query("INSERT INTO orders (customer_id, item, total) VALUES ($1, 'one', 1)", [
        CUSTOMER,
      ]);

    // Act
    const refreshMs = (await medianMs(addOneAndRefresh)) - (await medianMs(addOne));
    const computeMs = await medianMs(() => db.pool.query(TOP_TEN));
    const readMs = await medianMs(() => db.pool.query(TOP_TEN_FROM_VIEW));

    // Assert
    expect(refreshMs / computeMs).toBeGreaterThan(0.5);
    expect(refreshMs / readMs).toBeGreaterThan(10);
  });

  it("when orders are added, changed and deleted, then the trigger-maintained read model matches the orders at once", async () => {
    // Act
    await db.pool.query("INSERT INTO orders (customer_id, item, total) VALUES ($1, 'new', 70)", [
      CUSTOMER,
    ]);
    await db.pool.query(
      "UPDATE orders SET customer_id = $1 WHERE id = (SELECT min(id) FROM orders WHERE customer_id = $2)",
      [CUSTOMER, CUSTOMER + 1],
    );
    await db.pool.query(
      "DELETE FROM orders WHERE id = (SELECT max(id) FROM orders WHERE customer_id = $1)",
      [CUSTOMER + 2],
    );

    // Assert
    for (const id of [CUSTOMER, CUSTOMER + 1, CUSTOMER + 2]) {
      const totals = await totalsOf(db.pool, id);
      expect(totals.stats).toEqual(totals.orders);
    }
  });

  it("when the read model's trigger is on, then the same inserts of orders cost well over one and a half times as much", async () => {
    // Act
    const { plainMs, triggerMs } = await triggerWriteCost(db.pool, {
      batch: 2_000,
      customers: CUSTOMERS,
      rounds: 5,
    });

    // Assert
    expect(triggerMs / plainMs).toBeGreaterThan(1.5);
  });

  it("when two transactions add orders for the same customer, then the second waits on the read model's row until the first commits", async () => {
    // Arrange
    const first = await db.pool.connect();
    const second = await db.pool.connect();
    try {
      const pid = (await second.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!
        .pid;
      await first.query("BEGIN");
      await first.query("INSERT INTO orders (customer_id, item, total) VALUES ($1, 'a', 1)", [
        CUSTOMER,
      ]);

      // Act
      const blocked = second.query(
        "INSERT INTO orders (customer_id, item, total) VALUES ($1, 'b', 1)",
        [CUSTOMER],
      );
      const waited = await waitsOnLock(db.pool, pid);
      await first.query("COMMIT");
      await blocked;

      // Assert
      expect(waited).toBe(true);
    } finally {
      first.release();
      second.release();
    }
  });

  it("when the trigger is off, then two transactions adding orders for the same customer do not wait for each other", async () => {
    // Arrange
    const first = await db.pool.connect();
    const second = await db.pool.connect();
    await setStatsTrigger(db.pool, false);
    try {
      const pid = (await second.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!
        .pid;
      await first.query("BEGIN");
      await first.query("INSERT INTO orders (customer_id, item, total) VALUES ($1, 'a', 1)", [
        CUSTOMER,
      ]);

      // Act: race the second insert against it being seen waiting on a lock.
      const inserting = second.query(
        "INSERT INTO orders (customer_id, item, total) VALUES ($1, 'b', 1)",
        [CUSTOMER],
      );
      const stop = new AbortController();
      const waited = await Promise.race([
        inserting.then(() => false),
        waitsOnLock(db.pool, pid, { timeoutMs: 5_000, signal: stop.signal }),
      ]);
      stop.abort();
      await first.query("ROLLBACK");
      await inserting;

      // Assert
      expect(waited).toBe(false);
    } finally {
      first.release();
      second.release();
      await setStatsTrigger(db.pool, true);
    }
  });
});
