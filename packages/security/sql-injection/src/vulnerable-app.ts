// ╔══════════════════════════════════════════════════════════════════════╗
// ║  DELIBERATELY VULNERABLE. This app builds SQL by pasting user input   ║
// ║  into strings, so every route below can be injected. It exists to be  ║
// ║  attacked by this package's tests and demo, listens on 127.0.0.1      ║
// ║  only, and is never this package's export. Do not copy it: the fixed  ║
// ║  twin is `src/sql-injection.ts`.                                      ║
// ╚══════════════════════════════════════════════════════════════════════╝
import express, { type ErrorRequestHandler, type Express } from "express";
import type pg from "pg";

/** Options of the vulnerable app. */
export interface VulnerableOptions {
  /**
   * A hand-written "sanitizer" run over every input before it is pasted
   * into SQL (see `src/sanitize.ts`). It does not make the app safe.
   */
  filter?: (input: string) => string;
}

const text = (value: unknown): string => (typeof value === "string" ? value : "");

/** DELIBERATELY VULNERABLE: the app every attack in this package succeeds against. */
export function createVulnerableApp(pool: pg.Pool, options: VulnerableOptions = {}): Express {
  const clean = options.filter ?? ((input: string) => input);
  const app = express();
  app.use(express.json());

  // The classic login. The password check happens inside the query, so
  // whoever controls the WHERE clause decides who is logged in:
  // `' OR '1'='1' --` makes it true for every row, and the rest of the
  // line, the password check included, becomes a comment.
  app.post("/login", async (req, res) => {
    const username = clean(text(req.body?.username));
    const password = clean(text(req.body?.password));
    const { rows } = await pool.query(
      `SELECT id, username, is_admin FROM users
       WHERE username = '${username}' AND password_hash = crypt('${password}', password_hash)`,
    );
    if (rows.length === 0) res.status(401).json({ error: "wrong username or password" });
    else res.json({ user: rows[0] });
  });

  // A search that pastes the text into a string literal. A quote ends the
  // literal early, and `UNION SELECT` appends rows from any table the
  // connection can read, shaped like products. Without parameters, pg
  // sends this over the simple query protocol, which runs every statement
  // in the string: `'; DROP TABLE products --` works here.
  app.get("/search", async (req, res) => {
    const q = clean(text(req.query.q));
    const { rows } = await pool.query(
      `SELECT id, name, price_cents FROM products WHERE name ILIKE '%${q}%' ORDER BY id`,
    );
    res.json({ products: rows });
  });

  // A developer who knew about parameters: `LIMIT $1` is one. But ORDER BY
  // cannot take a parameter for a column, so the sort was pasted in. With a
  // parameter in the query, pg uses the extended protocol, which refuses a
  // second statement; the sort expression itself is still ours to write.
  app.get("/products", async (req, res) => {
    const sort = clean(text(req.query.sort) || "id");
    const limit = Number(req.query.limit ?? 20);
    const { rows } = await pool.query(
      `SELECT id, name, price_cents FROM products ORDER BY ${sort} LIMIT $1`,
      [limit],
    );
    res.json({ products: rows });
  });

  // A number needs no quotes, so there is no literal to break out of:
  // `0 UNION SELECT …` or `1 AND <condition>` go straight in. Quote
  // escaping does nothing here. The answer (found or not) is one bit per
  // request: enough for blind injection.
  app.get("/products/:id", async (req, res) => {
    const id = clean(req.params.id);
    const { rows } = await pool.query(
      `SELECT id, name, price_cents FROM products WHERE id = ${id}`,
    );
    if (rows.length === 0) res.status(404).json({ error: "no such product" });
    else res.json({ product: rows[0] });
  });

  // Handing the database's error message to the client, as many apps do,
  // turns a blind injection into a chatty one: a failed cast prints the
  // value it could not cast.
  const leakErrors: ErrorRequestHandler = (err: Error & { code?: string }, _req, res, _next) => {
    res.status(500).json({ error: err.message, code: err.code });
  };
  app.use(leakErrors);
  return app;
}
