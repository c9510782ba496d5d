import { randomBytes } from "node:crypto";
import { ScratchDatabase } from "@playground/kit";
import pg from "pg";

// The shop both apps serve: users who log in, products anyone can search,
// and a table of payment cards the web app itself never needs. Each shop
// lives in a database of its own, so tests and the demo run side by side.

/** A product as both apps return it. */
export interface Product {
  id: number;
  name: string;
  price_cents: number;
}

// The names carry a quote, a percent sign, an underscore and a SQL keyword
// on purpose: honest input that a concatenated query or a blacklist breaks.
const PRODUCTS: [string, number][] = [
  ["Earl Grey tea", 450],
  ["O'Brien's breakfast tea", 520],
  ["100% cotton tea towel", 1200],
  ["snake_case mug", 900],
  ["Union Jack mug", 1100],
  ["Teapot", 2500],
];

export const USERNAMES = ["admin", "alice", "bob"] as const;
export type Username = (typeof USERNAMES)[number];

/**
 * A shop on a scratch database: the owner's pool (the superuser the kit's
 * server gives us, as too many apps connect), and `web`, a pool for a role
 * granted only what the web app needs.
 */
export class Shop {
  private constructor(
    readonly db: ScratchDatabase,
    /** The role the web app should use: SELECT on `products` and `users`, nothing else. */
    readonly web: pg.Pool,
    readonly webRole: string,
    /** Each user's password, random per shop: nobody can log in by guessing. */
    readonly passwords: Record<Username, string>,
    private readonly serverUrl: string,
  ) {}

  /** The owner's pool: a superuser, who may do anything at all. */
  get owner(): pg.Pool {
    return this.db.pool;
  }

  static async create(
    serverUrl: string,
    prefix: string,
    settings: Record<string, string | number> = {},
  ): Promise<Shop> {
    const db = await ScratchDatabase.create(serverUrl, prefix, settings);
    const passwords = Object.fromEntries(
      USERNAMES.map((name) => [name, randomBytes(9).toString("base64url")]),
    ) as Record<Username, string>;
    await createTables(db.pool, passwords);
    const { role, url } = await createWebRole(db);
    const web = new pg.Pool({ connectionString: url, max: 4 });
    web.on("error", () => {}); // dropping the database ends its idle sessions
    return new Shop(db, web, role, passwords, serverUrl);
  }

  /** Drops the database, then the role: a role cannot go while a database grants it anything. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.web.end();
    await this.db[Symbol.asyncDispose]();
    const client = new pg.Client({ connectionString: this.serverUrl });
    await client.connect();
    try {
      await client.query(`DROP ROLE IF EXISTS ${pg.escapeIdentifier(this.webRole)}`);
    } finally {
      await client.end();
    }
  }
}

async function createTables(pool: pg.Pool, passwords: Record<Username, string>): Promise<void> {
  // pgcrypto's `crypt()` checks a bcrypt hash inside the query, which is
  // where the classic login bypass needs the check to be.
  await pool.query(`
    CREATE EXTENSION IF NOT EXISTS pgcrypto;
    CREATE TABLE users (
      id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      username text NOT NULL UNIQUE,
      password_hash text NOT NULL,
      is_admin boolean NOT NULL DEFAULT false
    );
    CREATE TABLE products (
      id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      name text NOT NULL,
      price_cents int NOT NULL
    );
    CREATE TABLE payment_cards (
      user_id int NOT NULL REFERENCES users,
      card_number text NOT NULL
    );`);
  for (const username of USERNAMES) {
    await pool.query(
      `INSERT INTO users (username, password_hash, is_admin)
       VALUES ($1, crypt($2, gen_salt('bf', 6)), $3)`,
      [username, passwords[username], username === "admin"],
    );
  }
  for (const [name, priceCents] of PRODUCTS) {
    await pool.query("INSERT INTO products (name, price_cents) VALUES ($1, $2)", [
      name,
      priceCents,
    ]);
  }
  await pool.query(`
    INSERT INTO payment_cards (user_id, card_number)
    SELECT id, '4111 1111 1111 ' || lpad((1000 + id)::text, 4, '0') FROM users`);
}

// Least privilege: the web role may connect and read the two tables the
// app queries. It owns nothing, so it cannot DROP or ALTER; it has no grant
// on `payment_cards`; and, not being a superuser, it cannot run programs on
// the database host. DDL takes no parameters, so we quote the names.
async function createWebRole(db: ScratchDatabase): Promise<{ role: string; url: string }> {
  const role = `${db.name}_web`;
  const password = randomBytes(12).toString("hex");
  const id = pg.escapeIdentifier;
  await db.pool.query(`
    CREATE ROLE ${id(role)} LOGIN PASSWORD ${pg.escapeLiteral(password)};
    REVOKE ALL ON DATABASE ${id(db.name)} FROM PUBLIC;
    GRANT CONNECT ON DATABASE ${id(db.name)} TO ${id(role)};
    GRANT USAGE ON SCHEMA public TO ${id(role)};
    GRANT SELECT ON products, users TO ${id(role)};`);
  const url = new URL(db.url);
  url.username = role;
  url.password = password;
  return { role, url: url.toString() };
}
