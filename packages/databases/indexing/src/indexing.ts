import type pg from "pg";

// A table is a heap: rows in the order they arrived, in 8 kB pages. To
// find one user by email without help, PostgreSQL reads every page and
// tests every row, a Seq Scan. A B-tree index is a second structure that
// keeps the email values sorted, each with the address (page, slot) of
// its row. Finding a value is then a walk from the root to a leaf, three
// or four pages for a million rows, plus the page holding the row.

/** The table every case uses. Autovacuum is off so that only we decide when it is vacuumed. */
export const USERS = `
  CREATE TABLE users (
    id          int PRIMARY KEY,
    email       text NOT NULL,
    name        text NOT NULL,
    country     text NOT NULL,
    status      text NOT NULL,
    signup_date date NOT NULL
  ) WITH (autovacuum_enabled = off);`;

/** The email of user `id`: mixed case, as people type them. */
export const emailOf = (id: number) => `User${id}@Example.com`;

// We load rows the fastest way there is: one `INSERT … SELECT` over
// `generate_series`, so the rows never leave the server. (From outside,
// `COPY … FROM STDIN` is the equivalent.) Sign-up dates grow with the
// id, over five years. The newest 1% of users are still pending, about 1%
// are banned (scattered), and the other 98% are active.
const LOAD = `
  INSERT INTO users
  SELECT g,
         'User' || g || '@Example.com',
         'User ' || g,
         (ARRAY['US', 'GB', 'DE', 'FR', 'NZ', 'JP', 'BR', 'IN', 'CA', 'AU'])[1 + g % 10],
         CASE WHEN g > $1 - $1 / 100 THEN 'pending' WHEN g % 100 = 1 THEN 'banned' ELSE 'active' END,
         date '2020-01-01' + (g::bigint * 1826 / $1)::int
  FROM generate_series(1, $1) g`;

/**
 * Creates `users` with `rows` rows. `vacuum` (the default) then runs
 * VACUUM ANALYZE: ANALYZE gives the planner its statistics, and VACUUM
 * sets the visibility map that index-only scans rely on. Returns how long
 * the insert and the upkeep took, in ms.
 */
export async function loadUsers(
  db: pg.Pool,
  rows: number,
  { vacuum = true }: { vacuum?: boolean } = {},
): Promise<{ insertMs: number; upkeepMs: number }> {
  const start = performance.now();
  await db.query(USERS);
  await db.query(LOAD, [rows]);
  const inserted = performance.now();
  await db.query(vacuum ? "VACUUM ANALYZE users" : "ANALYZE users");
  return { insertMs: inserted - start, upkeepMs: performance.now() - inserted };
}

/** The lookup the story is about. */
export const BY_EMAIL = "SELECT * FROM users WHERE email = $1";

// Before the index, the lookup reads the whole heap. After it, the
// planner walks the B-tree. When the query asks only for columns the
// index holds, it need not visit the heap at all: an Index Only Scan,
// as long as the visibility map says the page's rows are visible to
// everyone, which is what VACUUM records.

/** Builds the B-tree on `email`. */
export const EMAIL_INDEX = "CREATE INDEX users_email ON users (email)";

/** A query the email index answers on its own. */
export const EMAIL_ONLY = "SELECT email FROM users WHERE email = $1";

/** Bytes on disk of a table or index, as PostgreSQL counts them. */
export async function sizeOf(db: pg.Pool | pg.PoolClient, relation: string): Promise<number> {
  const { rows } = await db.query<{ bytes: string }>("SELECT pg_relation_size($1) AS bytes", [
    relation,
  ]);
  return Number(rows[0]!.bytes);
}

// Each case below builds its index inside a transaction and rolls it
// back afterwards. DDL is transactional in PostgreSQL, so every case
// starts from the same bare table, and no case sees another's index.

/** Runs `setup` (CREATE INDEX, SET LOCAL …) and `work` on one connection, then rolls back. */
export async function withIndexes<T>(
  db: pg.Pool,
  setup: string[],
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await db.connect();
  try {
    await client.query("BEGIN");
    for (const statement of setup) await client.query(statement);
    return await work(client);
  } finally {
    await client.query("ROLLBACK");
    client.release();
  }
}
