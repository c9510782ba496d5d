import type { Sql } from "./relational.js";
import type { Customer, Order, RevenueByCountry } from "./sql-vs-nosql.js";

// The document model: an order is one JSON document holding everything a
// reader of that order needs, its lines and a copy of its customer. One
// read fetches it whole, and there is no schema to migrate. The database
// stores what it is given: the shape lives in the application's code.
//
// We keep the documents in PostgreSQL's JSONB, which is itself a point: a
// document store is a data model, not a product. MongoDB is the best-known
// one; the README says where it fits.

/** The document we store per order. */
export interface OrderDocument extends Order {
  /** A copy of the customer at the time of the order (denormalized). */
  customer: Partial<Pick<Customer, "id" | "name" | "country">>;
}

// A JSONB column can still carry rules: a CHECK can test the document's
// shape with a JSON path. It cannot reach into another table, though, so
// "this customer exists" stays a rule only the relational model can keep.
const SHAPE_CHECK = `CHECK (
  jsonb_typeof(doc -> 'lines') = 'array'
  AND NOT jsonb_path_exists(doc, '$.lines[*] ? (@.quantity.type() != "number" || @.quantity <= 0)')
)`;

/** Creates a table of order documents; with `checkShape`, a CHECK on their lines. */
export async function createDocuments(
  sql: Sql,
  { table = "order_documents", checkShape = false } = {},
): Promise<void> {
  await sql.query(
    `CREATE TABLE ${table} (id TEXT PRIMARY KEY, doc JSONB NOT NULL ${checkShape ? SHAPE_CHECK : ""})`,
  );
}

/** Builds the document: the order, with the customer copied in if we know them. */
export function toDocument(order: Order, customer?: Customer): OrderDocument {
  const copy = customer
    ? { id: customer.id, name: customer.name, country: customer.country }
    : { id: order.customerId };
  return { ...order, customer: copy };
}

/** Stores one document. A single-document write is atomic by itself. */
export async function saveDocument(
  sql: Sql,
  document: OrderDocument | Record<string, unknown>,
  table = "order_documents",
): Promise<void> {
  await sql.query(`INSERT INTO ${table} (id, doc) VALUES ($1, $2)`, [
    String(document.id),
    JSON.stringify(document),
  ]);
}

// Because the documents sit in PostgreSQL, the ad-hoc question is still one
// statement: `jsonb_array_elements` turns each order's lines into rows. The
// types are decided here, at read time: a quantity that is not a number
// fails this query, and every other query that casts it.

/** Revenue per country, in cents, in one statement over the documents. */
export async function documentRevenueByCountry(
  sql: Sql,
  table = "order_documents",
): Promise<RevenueByCountry> {
  const { rows } = await sql.query<{ country: string | null; revenue: string }>(
    `SELECT doc -> 'customer' ->> 'country' AS country,
            SUM((line ->> 'quantity')::int * (line ->> 'unitPriceCents')::int) AS revenue
       FROM ${table}, jsonb_array_elements(doc -> 'lines') AS line
      GROUP BY 1`,
  );
  return Object.fromEntries(rows.map((row) => [row.country ?? "(none)", Number(row.revenue)]));
}
