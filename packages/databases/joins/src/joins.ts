import type pg from "pg";

// A join pairs the rows of two tables by a condition. Which pairs come
// back, and what fills in for a missing partner, is the whole difference
// between the kinds of join. We prove each on tables small enough to hold
// in your head: three customers and four orders.
//
// Ada has two orders, Brian one, Chen none. Order 103 was a guest
// checkout, so its `customer_id` is NULL: a foreign key allows that, and
// it is the NULL that later trips up `NOT IN`.

/** The fixture: `customers` and `orders`, small and fixed. */
export const SHOP = `
  CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL);
  CREATE TABLE orders (
    id          int PRIMARY KEY,
    customer_id int REFERENCES customers (id),
    total       int NOT NULL,
    status      text NOT NULL
  );
  INSERT INTO customers VALUES (1, 'Ada'), (2, 'Brian'), (3, 'Chen');
  INSERT INTO orders VALUES
    (100, 1, 30, 'paid'), (101, 1, 12, 'refunded'), (102, 2, 50, 'paid'), (103, NULL, 7, 'paid');
  ANALYZE customers, orders;
`;

/** One row of a join: the customer's name and the order's id; either may be NULL. */
export interface Pair {
  customer: string | null;
  order_id: number | null;
}

// Every query returns the same two columns in the same order, so the
// tests compare whole result sets. NULLs sort last.
const pairs = (from: string) => `
  SELECT c.name AS customer, o.id AS order_id
  FROM ${from}
  ORDER BY c.id NULLS LAST, o.id NULLS LAST`;

/** The joins, as SQL, by name. */
export const JOINS = {
  // INNER keeps only the pairs that match. Chen (no orders) and the
  // guest order (no customer) both vanish.
  inner: pairs("customers c INNER JOIN orders o ON o.customer_id = c.id"),

  // LEFT keeps every customer: once per matching order, which is why Ada
  // appears twice, and once with NULLs when nothing matches (Chen). "All
  // rows of the left table" means at least once, not exactly once.
  left: pairs("customers c LEFT JOIN orders o ON o.customer_id = c.id"),

  // RIGHT is LEFT with the tables swapped: every order is kept, and the
  // guest order gets NULL customer columns.
  right: pairs("customers c RIGHT JOIN orders o ON o.customer_id = c.id"),

  // FULL keeps the unmatched rows of both sides.
  full: pairs("customers c FULL OUTER JOIN orders o ON o.customer_id = c.id"),

  // CROSS has no condition at all: every customer with every order.
  cross: pairs("customers c CROSS JOIN orders o"),
} as const;

// An anti-join asks "which customers have no order?". Two spellings are
// safe. The third reads the same in English and is wrong: `x NOT IN (…)`
// is `x <> a AND x <> b AND …`, and `x <> NULL` is NULL, never true, so
// one NULL in the subquery makes every row fail the test.

/** Three ways to ask for the customers with no order. */
export const ANTI_JOINS = {
  leftJoinIsNull: `
    SELECT c.name FROM customers c LEFT JOIN orders o ON o.customer_id = c.id
    WHERE o.id IS NULL ORDER BY c.id`,
  notExists: `
    SELECT c.name FROM customers c
    WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id) ORDER BY c.id`,
  notIn: `
    SELECT c.name FROM customers c
    WHERE c.id NOT IN (SELECT customer_id FROM orders) ORDER BY c.id`,
  notInWithoutNulls: `
    SELECT c.name FROM customers c
    WHERE c.id NOT IN (SELECT customer_id FROM orders WHERE customer_id IS NOT NULL)
    ORDER BY c.id`,
} as const;

// A condition on the right-hand table means different things in `ON` and
// in `WHERE`. `ON` decides which orders match; a customer with no matching
// order is still kept, with NULLs. `WHERE` runs after the join, on those
// NULLs too, and `NULL = 'paid'` is not true: the customers the LEFT JOIN
// kept are thrown out again. The planner knows, and plans an inner join.

/** "Customers and their paid orders", with the filter in two places. */
export const FILTERS = {
  inWhere: pairs("customers c LEFT JOIN orders o ON o.customer_id = c.id WHERE o.status = 'paid'"),
  inOn: pairs("customers c LEFT JOIN orders o ON o.customer_id = c.id AND o.status = 'paid'"),
  innerJoin: pairs("customers c INNER JOIN orders o ON o.customer_id = c.id AND o.status = 'paid'"),
} as const;

/** Creates the fixture tables in the database `db` points at. */
export async function createShop(db: pg.Pool): Promise<void> {
  await db.query(SHOP);
}

/** Runs one of the queries above and returns its rows. */
export async function rowsOf<Row extends pg.QueryResultRow = Pair>(
  db: pg.Pool,
  sql: string,
): Promise<Row[]> {
  return (await db.query<Row>(sql)).rows;
}
