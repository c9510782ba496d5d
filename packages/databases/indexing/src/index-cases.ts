import type pg from "pg";
import { EMAIL_INDEX, emailOf } from "./indexing.js";
import { indexesUsed, type PlanNode, scanTypes } from "./plan.js";

// An index helps only a query whose shape matches the index's order. We
// show five shapes. Each case has a `hit`, a query the index serves, and
// a `miss`, a query it does not, each with the statements that build the
// indexes it runs with.

/** One query, and the indexes present when it runs. */
export interface Probe {
  setup: string[];
  sql: string;
  params: unknown[];
}

export interface IndexCase {
  name: string;
  /** The index the case is about. */
  index: string;
  hit: Probe;
  miss: Probe;
  why: string;
  /** Whether the two plans show what the case claims. */
  holds(hit: PlanNode, miss: PlanNode): boolean;
}

const uses = (plan: PlanNode, index: string) => indexesUsed(plan).includes(index);
const seqScan = (plan: PlanNode) => scanTypes(plan).join() === "Seq Scan";

// 1. A composite index sorts by its first column, then by the second
//    within equal firsts: a phone book by (surname, first name). It can
//    find a surname, or a surname and first name, but every "Ada" is
//    scattered across the whole book. The table is narrow, as order
//    tables are, so reading the whole index is no cheaper than the table.
const COMPOSITE = "CREATE INDEX orders_customer_created ON orders (customer_id, created_at)";

/** A narrow `orders` table for the composite case: dates grow with the id. */
export async function loadOrders(db: pg.Pool, rows: number): Promise<void> {
  await db.query(`
    CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL,
                         created_at date NOT NULL, total int NOT NULL)
    WITH (autovacuum_enabled = off)`);
  await db.query(
    `INSERT INTO orders
     SELECT g, 1 + (g * 7919) % ($1 / 10), date '2020-01-01' + (g::bigint * 1826 / $1)::int, g % 300
     FROM generate_series(1, $1) g`,
    [rows],
  );
  await db.query("VACUUM ANALYZE orders");
}

// 2. An index on `email` holds the emails as typed. `lower(email)` is a
//    different value, so the index cannot find it; an expression index
//    stores `lower(email)` itself. The query must use the same expression.
const LOWER_EMAIL = "CREATE INDEX users_lower_email ON users (lower(email))";

// 3. A partial index holds only the rows its WHERE clause admits. Pending
//    users are 1% of the table, so the index is about 1% of the size, and
//    it serves only queries whose own WHERE implies `status = 'pending'`.
const PENDING = "CREATE INDEX users_pending ON users (signup_date) WHERE status = 'pending'";

// 4. A covering index carries extra columns in its leaves (`INCLUDE`), so
//    a query that needs only those columns never reads the table: an
//    Index Only Scan. That works only on pages VACUUM has marked
//    all-visible; elsewhere the scan must check the heap after all.
const COVERING = "CREATE INDEX users_email_name ON users (email) INCLUDE (name)";

// 5. An index on `status` finds the 1% of pending users in a few pages.
//    But 98% of users are active: fetching them through the index would
//    still read every page of the table, plus the index. The planner
//    knows the value frequencies from ANALYZE and scans the table instead.
const STATUS = "CREATE INDEX users_status ON users (status)";

/** The five cases, in the order the README tells them. */
export function indexCases({ users, orders }: { users: number; orders: number }): IndexCase[] {
  const someone = Math.floor(users / 2) + 7;
  const recently = "2024-06-01";
  return [
    {
      name: "composite (customer_id, created_at)",
      index: "orders_customer_created",
      hit: { setup: [COMPOSITE], sql: "SELECT * FROM orders WHERE customer_id = $1", params: [42] },
      miss: {
        setup: [COMPOSITE],
        sql: "SELECT * FROM orders WHERE created_at = $1",
        params: [recently],
      },
      why: `${orders.toLocaleString("en")} orders: the leftmost column alone is searchable, the second alone is not`,
      holds: (hit, miss) => uses(hit, "orders_customer_created") && seqScan(miss),
    },
    {
      name: "expression lower(email)",
      index: "users_lower_email",
      hit: {
        setup: [EMAIL_INDEX, LOWER_EMAIL, "ANALYZE users"],
        sql: "SELECT * FROM users WHERE lower(email) = $1",
        params: [emailOf(someone).toLowerCase()],
      },
      miss: {
        setup: [EMAIL_INDEX],
        sql: "SELECT * FROM users WHERE lower(email) = $1",
        params: [emailOf(someone).toLowerCase()],
      },
      why: "an index on email cannot find lower(email); an index on lower(email) can",
      holds: (hit, miss) => uses(hit, "users_lower_email") && seqScan(miss),
    },
    {
      name: "partial WHERE status = 'pending'",
      index: "users_pending",
      hit: {
        setup: [PENDING],
        sql: "SELECT * FROM users WHERE status = 'pending' AND signup_date >= $1",
        params: [recently],
      },
      miss: {
        setup: [PENDING],
        sql: "SELECT * FROM users WHERE status = 'banned' AND signup_date >= $1",
        params: [recently],
      },
      why: "it holds only pending users, so it serves only queries about them",
      holds: (hit, miss) => uses(hit, "users_pending") && !uses(miss, "users_pending"),
    },
    {
      name: "covering (email) INCLUDE (name)",
      index: "users_email_name",
      hit: {
        setup: [COVERING],
        sql: "SELECT name FROM users WHERE email = $1",
        params: [emailOf(someone)],
      },
      miss: {
        setup: [EMAIL_INDEX],
        sql: "SELECT name FROM users WHERE email = $1",
        params: [emailOf(someone)],
      },
      why: "name is in the index's leaves, so the table is never read",
      holds: (hit, miss) =>
        scanTypes(hit).join() === "Index Only Scan" &&
        (hit["Heap Fetches"] ?? 0) === 0 &&
        scanTypes(miss).join() === "Index Scan",
    },
    {
      name: "low selectivity: status",
      index: "users_status",
      hit: {
        setup: [STATUS],
        sql: "SELECT * FROM users WHERE status = 'pending'",
        params: [],
      },
      miss: { setup: [STATUS], sql: "SELECT * FROM users WHERE status = 'active'", params: [] },
      why: "1% pending: a few pages through the index; 98% active: every page anyway",
      holds: (hit, miss) => uses(hit, "users_status") && seqScan(miss),
    },
  ];
}
