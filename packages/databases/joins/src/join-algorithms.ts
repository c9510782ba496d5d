import type pg from "pg";
import { type Explained, explain, joins } from "./plan.js";

// SQL says which rows a join returns, never how to find them. The planner
// picks one of three algorithms from its statistics, and we can watch it
// choose with `EXPLAIN (FORMAT JSON)`:
//
// - Nested Loop: for each outer row, look the partners up. Cheap when the
//   outer side is small and an index makes each lookup a few pages.
// - Hash Join: build a hash table of the smaller side, stream the larger
//   one past it once. The workhorse for big unsorted inputs.
// - Merge Join: walk two inputs already sorted on the key side by side.
//   Worth it when indexes hand over sorted rows and the output must be
//   sorted anyway.

/** Sizes of the planner's tables: 10 orders per customer. */
export const CUSTOMERS = 10_000;
export const ORDERS = 100_000;

// The tables live in their own schema, `planner`, beside the small
// fixture. `orders` has an index on `customer_id`; `orders_unindexed`
// holds the same rows without it. Each customer's ten orders are spread
// over the table, as they would be after years of trading. `ANALYZE`
// gives the planner the row counts and value statistics it reasons from.
const SCHEMA = `
  CREATE SCHEMA planner;
  CREATE TABLE planner.customers (id int PRIMARY KEY, name text NOT NULL);
  CREATE TABLE planner.orders (id int PRIMARY KEY, customer_id int NOT NULL, total int NOT NULL);
  INSERT INTO planner.customers SELECT g, 'customer ' || g FROM generate_series(1, ${CUSTOMERS}) g;
  INSERT INTO planner.orders
    SELECT g, 1 + (g * 7919) % ${CUSTOMERS}, g % 500 FROM generate_series(1, ${ORDERS}) g;
  CREATE INDEX orders_customer_id ON planner.orders (customer_id);
  CREATE TABLE planner.orders_unindexed AS SELECT * FROM planner.orders;
  ANALYZE planner.customers, planner.orders, planner.orders_unindexed;
`;

/** Creates and analyzes the `planner` schema's tables. */
export async function createPlannerTables(db: pg.Pool): Promise<void> {
  await db.query(SCHEMA);
}

/** The first `customers` customers and their orders; `unindexed` uses the copy with no index. */
export function customersWithOrders(
  customers: number,
  { unindexed = false, sorted = false } = {},
): string {
  const orders = unindexed ? "planner.orders_unindexed" : "planner.orders";
  return `
    SELECT c.name, o.id, o.total
    FROM planner.customers c JOIN ${orders} o ON o.customer_id = c.id
    WHERE c.id <= ${customers}${sorted ? "\n    ORDER BY c.id" : ""}`;
}

/** One situation, and the algorithm the planner should pick for it. */
export interface Scenario {
  name: string;
  sql: string;
  expected: "Nested Loop" | "Hash Join" | "Merge Join";
  why: string;
}

/** The situations the README, the demo and the tests walk through. */
export const SCENARIOS: Scenario[] = [
  {
    name: "5 customers, orders indexed on customer_id",
    sql: customersWithOrders(5),
    expected: "Nested Loop",
    why: "5 index lookups of ~10 rows beat reading 100,000 orders",
  },
  {
    name: "5 customers, no index on customer_id",
    sql: customersWithOrders(5, { unindexed: true }),
    expected: "Hash Join",
    why: "without the index each lookup would be a full scan; one scan past a 5-row hash is cheaper",
  },
  {
    name: "all 10,000 customers, index present",
    sql: customersWithOrders(CUSTOMERS),
    expected: "Hash Join",
    why: "10,000 random index lookups cost more than one sequential pass over each table",
  },
  {
    name: "all customers, ORDER BY customer id",
    sql: customersWithOrders(CUSTOMERS, { sorted: true }),
    expected: "Merge Join",
    why: "both indexes already return rows in id order: merging them needs no hash and no sort",
  },
];

/** The algorithm of the topmost join in the plan for `sql`. */
export async function chosenAlgorithm(db: pg.Pool, sql: string): Promise<string> {
  const { plan } = await explain(db, sql);
  return joins(plan)[0]?.algorithm ?? "none";
}

// The `enable_*` settings do not forbid an algorithm; they make it look
// very expensive, so the planner takes the next best. That lets us run the
// plan it rejected and see that it was right. `SET LOCAL` keeps the
// change inside one transaction on one connection.

/** Runs `sql` under EXPLAIN ANALYZE with the named algorithms switched off. */
export async function explainWithout(
  db: pg.Pool,
  sql: string,
  disabled: ("nestloop" | "hashjoin" | "mergejoin")[],
): Promise<Explained> {
  const client = await db.connect();
  try {
    await client.query("BEGIN");
    for (const setting of disabled) await client.query(`SET LOCAL enable_${setting} = off`);
    return await explain(client, sql, { analyze: true });
  } finally {
    await client.query("ROLLBACK");
    client.release();
  }
}
