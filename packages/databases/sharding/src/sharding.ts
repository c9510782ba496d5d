import pg from "pg";
import type { Placement } from "./placement.js";

// Sharding splits one table's rows over several independent servers, so
// that each stores and serves only part of them. Nothing in PostgreSQL
// knows about the other shards: the router below is the whole system. It
// owns one connection pool per shard and a `Placement` that maps each
// user id to a shard.

/** A user row. `id` is the shard key. */
export interface User {
  id: number;
  email: string;
  name: string;
  country: string;
  balance: number;
}

// Every shard has the same table; each holds different rows. A shard
// can only enforce its own constraints: `email` is unique per shard, and
// nothing stops the same email on two shards.
const USERS = `
  CREATE TABLE IF NOT EXISTS users (
    id      int PRIMARY KEY,
    email   text NOT NULL UNIQUE,
    name    text NOT NULL,
    country text NOT NULL,
    balance int NOT NULL CHECK (balance BETWEEN 0 AND 1000)
  )`;

/** The placement key of a user id. */
export const keyOf = (id: number) => `user:${id}`;

/** Routes each query to the shard, or shards, that can answer it. */
export class ShardRouter {
  readonly #pools = new Map<string, pg.Pool>();
  /** How many queries each shard has been sent. */
  readonly queries = new Map<string, number>();

  constructor(public placement: Placement) {}

  /** Connects to a shard's server and creates the table there. */
  async addShard(name: string, url: string): Promise<void> {
    const pool = new pg.Pool({ connectionString: url, max: 4 });
    pool.on("error", () => {}); // an idle connection to a stopped server; the next query reports it
    this.#pools.set(name, pool);
    this.queries.set(name, 0);
    await pool.query(USERS);
  }

  /** Sends one statement to one shard, counting it. */
  async on<R extends pg.QueryResultRow>(
    shard: string,
    sql: string,
    params: unknown[] = [],
  ): Promise<pg.QueryResult<R>> {
    const pool = this.#pools.get(shard);
    if (!pool) throw new Error(`No shard called ${shard}: add it with addShard() first.`);
    this.queries.set(shard, (this.queries.get(shard) ?? 0) + 1);
    return pool.query<R>(sql, params);
  }

  /** Runs `work` in one transaction on one shard: committed if it resolves, rolled back if not. */
  async inTransaction<T>(shard: string, work: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
    const pool = this.#pools.get(shard);
    if (!pool) throw new Error(`No shard called ${shard}: add it with addShard() first.`);
    this.queries.set(shard, (this.queries.get(shard) ?? 0) + 1);
    const tx = await pool.connect();
    try {
      await tx.query("BEGIN");
      const result = await work(tx);
      await tx.query("COMMIT");
      return result;
    } catch (error) {
      await tx.query("ROLLBACK");
      throw error;
    } finally {
      tx.release();
    }
  }

  shardOf(id: number): string {
    return this.placement.shardFor(keyOf(id));
  }

  // Writes by key go to one shard. A batch is split by owner and each
  // part sent to its shard, in parallel.

  /** Inserts users, each on the shard that owns its id. */
  async insert(users: readonly User[]): Promise<void> {
    const byShard = new Map<string, User[]>();
    for (const user of users) {
      const shard = this.shardOf(user.id);
      byShard.set(shard, [...(byShard.get(shard) ?? []), user]);
    }
    await Promise.all([...byShard].map(([shard, rows]) => this.insertOn(shard, rows)));
  }

  /** Inserts `rows` on `shard` in one statement, whoever owns them. */
  async insertOn(shard: string, rows: readonly User[]): Promise<void> {
    await this.on(
      shard,
      `INSERT INTO users
       SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::int[])`,
      [
        rows.map((u) => u.id),
        rows.map((u) => u.email),
        rows.map((u) => u.name),
        rows.map((u) => u.country),
        rows.map((u) => u.balance),
      ],
    );
  }

  // A read by the shard key is the case sharding is built for: one
  // shard, one round trip, whatever the number of shards.

  /** The user with this id, from the one shard that can have it. */
  async get(id: number): Promise<User | undefined> {
    return (await this.on<User>(this.shardOf(id), "SELECT * FROM users WHERE id = $1", [id]))
      .rows[0];
  }

  // Anything else does not name a shard. Looking a user up by email
  // must ask every shard and wait for the slowest: scatter-gather. Its
  // cost grows with the number of shards, and so does its chance of
  // meeting one slow or unavailable shard.

  /** Runs `sql` on every shard in parallel and returns each shard's rows. */
  async scatter<R extends pg.QueryResultRow>(
    sql: string,
    params: unknown[] = [],
  ): Promise<Map<string, R[]>> {
    const shards = this.shards();
    const results = await Promise.all(shards.map((shard) => this.on<R>(shard, sql, params)));
    return new Map(shards.map((shard, i) => [shard, results[i]!.rows]));
  }

  /** The user with this email, found by asking every shard. */
  async findByEmail(email: string): Promise<User | undefined> {
    const found = await this.scatter<User>("SELECT * FROM users WHERE email = $1", [email]);
    return [...found.values()].flat()[0];
  }

  /** How many users each shard holds. */
  async counts(): Promise<Map<string, number>> {
    const counts = await this.scatter<{ n: number }>("SELECT count(*)::int AS n FROM users");
    return new Map([...counts].map(([shard, rows]) => [shard, rows[0]!.n]));
  }

  /** The shards the router is connected to. */
  shards(): string[] {
    return [...this.#pools.keys()];
  }

  async close(): Promise<void> {
    await Promise.all([...this.#pools.values()].map((pool) => pool.end()));
    this.#pools.clear();
  }
}
