import type pg from "pg";

// The source of truth behind every cache here: a PostgreSQL table of
// products. The query that reads one is deliberately slow: `pg_sleep`
// stands for the join and aggregate a real product page would run. We
// count the queries on our side of the wire, since that count is the
// whole point of a cache.

/** One row, as the application and the cache see it. */
export interface Product {
  id: string;
  name: string;
  priceCents: number;
  /** Bumped by every update, so a test can tell an old copy from a new one. */
  version: number;
}

export class ProductDb {
  /** Product queries sent to PostgreSQL so far. */
  queries = 0;

  private constructor(
    private readonly pool: pg.Pool,
    /** How many products there are: `p1` to `p<products>`. */
    readonly products: number,
    /** How long the product query takes, at least. */
    readonly queryMs: number,
  ) {}

  /** Creates `count` products, `p1` to `p<count>`, priced 1.00 upwards. */
  static async create(pool: pg.Pool, count: number, queryMs: number): Promise<ProductDb> {
    await pool.query(`
      CREATE TABLE products (
        id text PRIMARY KEY,
        name text NOT NULL,
        price_cents int NOT NULL,
        version int NOT NULL DEFAULT 1
      )`);
    await pool.query(
      `INSERT INTO products (id, name, price_cents)
       SELECT 'p' || n, 'product ' || n, 100 * n FROM generate_series(1, $1) AS n`,
      [count],
    );
    return new ProductDb(pool, count, queryMs);
  }

  /** The slow read the cache saves us from. */
  async product(id: string): Promise<Product> {
    this.queries++;
    const { rows } = await this.pool.query<{
      name: string;
      price_cents: number;
      version: number;
    }>(
      `SELECT name, price_cents, version, pg_sleep($2::float8 / 1000)
         FROM products WHERE id = $1`,
      [id, this.queryMs],
    );
    const row = rows[0];
    if (!row) throw new Error(`No product ${id}: ids run from p1 to the count given to create().`);
    return { id, name: row.name, priceCents: row.price_cents, version: row.version };
  }

  /** A write that does not touch any cache: the cache finds out only if someone tells it. */
  async setPrice(id: string, priceCents: number): Promise<void> {
    await this.pool.query(
      "UPDATE products SET price_cents = $2, version = version + 1 WHERE id = $1",
      [id, priceCents],
    );
  }
}

/** `p1` … `p<count>`. */
export function productIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `p${i + 1}`);
}
