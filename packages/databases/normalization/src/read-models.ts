import type pg from "pg";
import { median, timeMs } from "./measure.js";
import { restartIdentities } from "./normalization.js";

// Normalized data is right but not always fast to read: "revenue per
// customer" means joining and summing every order, every time. So we
// sometimes denormalize on purpose, keeping a derived copy shaped for
// the read. The copy is no longer the truth; the orders are. What matters
// is how the copy is kept in step, and what that costs. We build two.

/** Adds `customers` customers with `orders` orders spread evenly over them. */
export async function addVolume(
  db: pg.Pool,
  { customers, orders }: { customers: number; orders: number },
): Promise<void> {
  await db.query(
    `INSERT INTO customers (id, email, name, address)
     SELECT 100 + g, 'customer' || g || '@example.com', 'Customer ' || g, g || ' High Street'
     FROM generate_series(1, $1) g`,
    [customers],
  );
  await db.query(
    `INSERT INTO orders (id, customer_id, item, total)
     SELECT 100 + g, 101 + (g * 7919) % $1, 'item ' || g % 50, 1 + g % 300
     FROM generate_series(1, $2) g`,
    [customers, orders],
  );
  await restartIdentities(db);
  await db.query("ANALYZE customers, orders");
}

/** The truth, computed from the orders: what both read models copy. */
export const TOTALS = `
  SELECT c.id, c.name, count(o.id)::int AS orders, coalesce(sum(o.total), 0)::int AS revenue
  FROM customers c LEFT JOIN orders o ON o.customer_id = c.id
  GROUP BY c.id`;

/** The report both read models serve: the ten best customers. */
export const TOP_TEN = `SELECT * FROM (${TOTALS}) t ORDER BY revenue DESC, id LIMIT 10`;

// 1. A materialized view stores the result of `TOTALS` as a table we can
//    index. Reads are cheap and writes to `orders` cost nothing extra,
//    because nothing happens on a write: the view is stale from the first
//    new order until someone runs `REFRESH`, and each refresh runs the
//    whole query again, however little changed. `CONCURRENTLY` lets
//    readers keep reading during it, and needs the unique index.
const VIEW = `
  CREATE MATERIALIZED VIEW customer_totals AS ${TOTALS};
  CREATE UNIQUE INDEX ON customer_totals (id);
  CREATE INDEX ON customer_totals (revenue DESC, id);`;

export const TOP_TEN_FROM_VIEW = "SELECT * FROM customer_totals ORDER BY revenue DESC, id LIMIT 10";

export async function createTotalsView(db: pg.Pool): Promise<void> {
  await db.query(VIEW);
}

export async function refreshTotalsView(db: pg.Pool): Promise<void> {
  await db.query("REFRESH MATERIALIZED VIEW CONCURRENTLY customer_totals");
}

// 2. A read model kept by a trigger is never stale: the same transaction
//    that writes an order updates its customer's row in `customer_stats`.
//    The price moves to the write. Every insert now also updates a second
//    table, and every order of one customer updates the same row, so two
//    transactions adding orders for one customer queue on its lock.
const STATS = `
  CREATE TABLE customer_stats (
    customer_id int PRIMARY KEY REFERENCES customers (id),
    orders      int NOT NULL,
    revenue     int NOT NULL
  );
  INSERT INTO customer_stats SELECT id, orders, revenue FROM (${TOTALS}) t;
  CREATE INDEX ON customer_stats (revenue DESC, customer_id);

  CREATE FUNCTION keep_customer_stats() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
      UPDATE customer_stats SET orders = orders - 1, revenue = revenue - OLD.total
      WHERE customer_id = OLD.customer_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
      INSERT INTO customer_stats VALUES (NEW.customer_id, 1, NEW.total)
      ON CONFLICT (customer_id) DO UPDATE
      SET orders = customer_stats.orders + 1, revenue = customer_stats.revenue + NEW.total;
    END IF;
    RETURN NULL;
  END $$;

  CREATE TRIGGER customer_stats AFTER INSERT OR UPDATE OR DELETE ON orders
  FOR EACH ROW EXECUTE FUNCTION keep_customer_stats();`;

export const TOP_TEN_FROM_STATS = `
  SELECT c.id, c.name, s.orders, s.revenue
  FROM customer_stats s JOIN customers c ON c.id = s.customer_id
  ORDER BY s.revenue DESC, s.customer_id LIMIT 10`;

export async function createStatsReadModel(db: pg.Pool): Promise<void> {
  await db.query(STATS);
}

/** Switches the read model's trigger off and on, to measure what it adds to a write. */
export async function setStatsTrigger(db: pg.Pool, enabled: boolean): Promise<void> {
  await db.query(`ALTER TABLE orders ${enabled ? "ENABLE" : "DISABLE"} TRIGGER customer_stats`);
}

/** One customer's totals: from the orders, the view, and the trigger's read model. */
export async function totalsOf(
  db: pg.Pool,
  customerId: number,
): Promise<Record<"orders" | "view" | "stats", { orders: number; revenue: number } | undefined>> {
  const one = async (sql: string) =>
    (await db.query<{ orders: number; revenue: number }>(sql, [customerId])).rows[0];
  return {
    orders: await one(`SELECT orders, revenue FROM (${TOTALS}) t WHERE id = $1`),
    view: await one("SELECT orders, revenue FROM customer_totals WHERE id = $1"),
    stats: await one("SELECT orders, revenue FROM customer_stats WHERE customer_id = $1"),
  };
}

// To price the trigger we time the same insert with it off and on. The
// two alternate, round after round, so that whatever else the machine is
// doing slows both alike, and we compare medians.

/** Median ms to insert `batch` orders without and with the read model's trigger. */
export async function triggerWriteCost(
  db: pg.Pool,
  { batch, customers, rounds }: { batch: number; customers: number; rounds: number },
): Promise<{ plainMs: number; triggerMs: number }> {
  const plain: number[] = [];
  const triggered: number[] = [];
  await insertOrders(db, batch, customers); // warm up
  try {
    for (let i = 0; i < rounds; i++) {
      await setStatsTrigger(db, false);
      plain.push(await timeMs(() => insertOrders(db, batch, customers)));
      await setStatsTrigger(db, true);
      triggered.push(await timeMs(() => insertOrders(db, batch, customers)));
    }
  } finally {
    await setStatsTrigger(db, true);
  }
  return { plainMs: median(plain), triggerMs: median(triggered) };
}

/** Inserts `count` orders in one statement, spread over the volume customers. */
export async function insertOrders(db: pg.Pool, count: number, customers: number): Promise<void> {
  await db.query(
    `INSERT INTO orders (customer_id, item, total)
     SELECT 101 + g % $2, 'item', 1 + g % 300 FROM generate_series(1, $1) g`,
    [count, customers],
  );
}
