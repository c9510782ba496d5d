import express, { type ErrorRequestHandler, type Express } from "express";
import type pg from "pg";

// The fixed twin of `src/vulnerable-app.ts`: the same four routes, the same
// answers to honest requests. The fix is one idea. The SQL text is ours and
// fixed; the user's input travels beside it as parameters (`$1`, `$2`), in
// a separate protocol message, and the server never parses it as SQL. A
// quote in a parameter is a character in a value, nothing more.

/** Options of the safe app. */
export interface SafeOptions {
  /**
   * Check each input's shape before querying (on by default). The tests
   * turn it off to show that the parameters alone stop every attack:
   * validation is defence in depth, not the fix.
   */
  validate?: boolean;
}

class BadRequest extends Error {}

// Where a parameter cannot go, we choose the SQL ourselves. ORDER BY needs
// a column, and a parameter is a value: `ORDER BY $1` sorts by the constant
// 'price' and leaves the order alone. So the client names a sort, and this
// allow-list maps the name to SQL we wrote. Nothing else gets through.
const SORTS = {
  name: "name",
  price: "price_cents",
  newest: "id DESC",
} as const satisfies Record<string, string>;

type SortName = keyof typeof SORTS;
const isSort = (value: string): value is SortName => Object.hasOwn(SORTS, value);

// A parameter keeps `%` and `_` out of the SQL, but LIKE still reads them
// as wildcards inside the value: a search for `_` would match every name.
// We escape them with a backslash, LIKE's default escape character.
export const escapeLike = (text: string): string => text.replace(/[\\%_]/g, "\\$&");

/** The safe app, wired to a pool that should log in as a least-privileged role. */
export function createSafeApp(pool: pg.Pool, options: SafeOptions = {}): Express {
  const validate = options.validate ?? true;
  const app = express();
  app.use(express.json({ limit: "1kb" }));

  // Validation rejects what cannot be right (a non-number id, a 10 kB
  // search) before it costs a query. With it off, the parameters still
  // hold; a non-number id then fails as a bad value inside PostgreSQL.
  const input = (value: unknown, name: string, shape: RegExp): string => {
    if (typeof value !== "string") throw new BadRequest(`${name} is required`);
    if (validate && !shape.test(value)) throw new BadRequest(`${name} is not valid`);
    return value;
  };

  // The same login, with the two inputs as parameters. `' OR '1'='1' --`
  // is now a username nobody has.
  app.post("/login", async (req, res) => {
    const username = input(req.body?.username, "username", /^.{1,64}$/s);
    const password = input(req.body?.password, "password", /^.{1,256}$/s);
    const { rows } = await pool.query(
      `SELECT id, username, is_admin FROM users
       WHERE username = $1 AND password_hash = crypt($2, password_hash)`,
      [username, password],
    );
    if (rows.length === 0) res.status(401).json({ error: "wrong username or password" });
    else res.json({ user: rows[0] });
  });

  // Free text cannot be validated into safety: "O'Brien's" is an honest
  // search, quote and all. The parameter is what makes it harmless.
  app.get("/search", async (req, res) => {
    const q = input(req.query.q ?? "", "q", /^.{0,100}$/s);
    const { rows } = await pool.query(
      `SELECT id, name, price_cents FROM products
       WHERE name ILIKE '%' || $1 || '%' ORDER BY id`,
      [escapeLike(q)],
    );
    res.json({ products: rows });
  });

  // The sort comes from the allow-list; LIMIT, unlike ORDER BY, takes a
  // parameter in PostgreSQL, so the number stays out of the SQL text.
  app.get("/products", async (req, res) => {
    const sort = String(req.query.sort ?? "newest");
    if (!isSort(sort)) {
      throw new BadRequest(`sort must be one of ${Object.keys(SORTS).join(", ")}`);
    }
    const limit = input(req.query.limit ?? "20", "limit", /^(100|[1-9][0-9]?)$/);
    const { rows } = await pool.query(
      `SELECT id, name, price_cents FROM products ORDER BY ${SORTS[sort]} LIMIT $1`,
      [limit],
    );
    res.json({ products: rows });
  });

  app.get("/products/:id", async (req, res) => {
    const id = input(req.params.id, "id", /^[1-9][0-9]{0,8}$/);
    const { rows } = await pool.query("SELECT id, name, price_cents FROM products WHERE id = $1", [
      id,
    ]);
    if (rows.length === 0) res.status(404).json({ error: "no such product" });
    else res.json({ product: rows[0] });
  });

  app.use(hideErrors);
  return app;
}

// The database's message stays in our logs, never in the response: it
// names tables and columns, and a failed cast would print the value.
// A value PostgreSQL cannot read as the column's type (SQLSTATE class 22)
// is the client's mistake, so it gets a 400, still without the message.
const hideErrors: ErrorRequestHandler = (err: Error & { code?: string }, _req, res, _next) => {
  if (err instanceof BadRequest) res.status(400).json({ error: err.message });
  else if (err.code?.startsWith("22")) res.status(400).json({ error: "invalid input" });
  else res.status(500).json({ error: "internal error" });
};

/** The package's export is the safe app; the vulnerable one is never exported from here. */
export default createSafeApp;
