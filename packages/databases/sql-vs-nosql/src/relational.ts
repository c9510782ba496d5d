import type pg from "pg";
import type { Customer, Order, Product, RevenueByCountry } from "./sql-vs-nosql.js";

/** Anything that runs one SQL statement: a pool, a client, or a counting wrapper. */
export interface Sql {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>>;
}

// The relational model: one table per kind of thing, rows that point at
// each other by key, and rules the database checks on every write. An
// order that names no real customer, or a line for minus two mugs, never
// gets in: not from this code, not from a script, not from a bug.
export const RELATIONAL_SCHEMA = [
  `CREATE TABLE customers (
     id      TEXT PRIMARY KEY,
     name    TEXT NOT NULL,
     email   TEXT NOT NULL UNIQUE,
     country CHAR(2) NOT NULL
   )`,
  `CREATE TABLE products (
     sku         TEXT PRIMARY KEY,
     name        TEXT NOT NULL,
     price_cents INT NOT NULL CHECK (price_cents >= 0),
     stock       INT NOT NULL CHECK (stock >= 0)
   )`,
  `CREATE TABLE orders (
     id          TEXT PRIMARY KEY,
     customer_id TEXT NOT NULL REFERENCES customers (id),
     status      TEXT NOT NULL CHECK (status IN ('placed', 'paid', 'shipped'))
   )`,
  `CREATE TABLE order_lines (
     order_id         TEXT NOT NULL REFERENCES orders (id),
     line_no          INT NOT NULL,
     sku              TEXT NOT NULL REFERENCES products (sku),
     quantity         INT NOT NULL CHECK (quantity > 0),
     unit_price_cents INT NOT NULL CHECK (unit_price_cents >= 0),
     PRIMARY KEY (order_id, line_no)
   )`,
];

export async function createRelational(sql: Sql): Promise<void> {
  for (const statement of RELATIONAL_SCHEMA) await sql.query(statement);
}

export async function addCustomers(sql: Sql, customers: Customer[]): Promise<void> {
  for (const c of customers) {
    await sql.query("INSERT INTO customers (id, name, email, country) VALUES ($1, $2, $3, $4)", [
      c.id,
      c.name,
      c.email,
      c.country,
    ]);
  }
}

export async function addProducts(sql: Sql, products: Product[]): Promise<void> {
  for (const p of products) {
    await sql.query(
      "INSERT INTO products (sku, name, price_cents, stock) VALUES ($1, $2, $3, $4)",
      [p.sku, p.name, p.priceCents, p.stock],
    );
  }
}

// An order spans two tables, so we write it in one transaction: either the
// order and all its lines are there, or none of them. With `takeStock` the
// same transaction also takes the goods off the shelf; the CHECK on
// `stock` then refuses an order we cannot fill, and the ROLLBACK takes
// back the order, its lines and every other line's stock with it.

/** Stores `order` and its lines atomically; with `takeStock`, also decrements stock. */
export async function saveOrder(
  pool: pg.Pool,
  order: Order,
  { takeStock = false }: { takeStock?: boolean } = {},
): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("INSERT INTO orders (id, customer_id, status) VALUES ($1, $2, $3)", [
      order.id,
      order.customerId,
      order.status,
    ]);
    for (const [index, line] of order.lines.entries()) {
      await client.query(
        `INSERT INTO order_lines (order_id, line_no, sku, quantity, unit_price_cents)
         VALUES ($1, $2, $3, $4, $5)`,
        [order.id, index + 1, line.sku, line.quantity, line.unitPriceCents],
      );
      if (takeStock) {
        await client.query("UPDATE products SET stock = stock - $2 WHERE sku = $1", [
          line.sku,
          line.quantity,
        ]);
      }
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  } finally {
    client.release();
  }
}

// The ad-hoc question, "revenue per country", was not in anybody's mind
// when the tables were designed, and it does not need to be. One statement
// joins three tables and aggregates on the server; one row per country
// crosses the network.

/** Revenue per country, in cents, in one statement. */
export async function revenueByCountry(sql: Sql): Promise<RevenueByCountry> {
  const { rows } = await sql.query<{ country: string; revenue: string }>(
    `SELECT c.country, SUM(l.quantity * l.unit_price_cents) AS revenue
       FROM customers c
       JOIN orders o ON o.customer_id = c.id
       JOIN order_lines l ON l.order_id = o.id
      GROUP BY c.country`,
  );
  return Object.fromEntries(rows.map((row) => [row.country, Number(row.revenue)]));
}

/** Wraps `sql` so every statement sent through it is counted. */
export function countStatements(sql: Sql): Sql & { readonly statements: number } {
  let statements = 0;
  return {
    get statements() {
      return statements;
    },
    query: (text, values) => {
      statements++;
      return sql.query(text, values);
    },
  };
}
