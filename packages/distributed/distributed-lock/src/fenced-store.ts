import type { ClientBase } from "pg";

// The resource the lock protects: one row in PostgreSQL. A lock held
// elsewhere (Redis, ZooKeeper) cannot stop a paused holder from writing
// late, so the storage has to defend itself. Each write carries the
// holder's fencing token, and the row remembers the largest token it
// has accepted; a write with a smaller one comes from a holder whose
// lease already ended, and the `WHERE` clause turns it away.

/** What a write did: landed, or was refused as stale. */
export type WriteOutcome = { accepted: true } | { accepted: false; newestFence: number };

/** One row of data, guarded (or not) by fencing tokens. */
export class FencedStore {
  private constructor(
    private readonly pg: ClientBase,
    private readonly table: string,
  ) {}

  /** Creates the table `<schema>.documents` and one document `id`. */
  static async create(pg: ClientBase, schema: string, id: string): Promise<FencedStore> {
    await pg.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await pg.query(
      `CREATE TABLE IF NOT EXISTS ${schema}.documents
         (id text PRIMARY KEY, body text NOT NULL, fence bigint NOT NULL DEFAULT 0)`,
    );
    await pg.query(
      `INSERT INTO ${schema}.documents (id, body) VALUES ($1, '') ON CONFLICT DO NOTHING`,
      [id],
    );
    return new FencedStore(pg, `${schema}.documents`);
  }

  /** Opens an existing store (a worker process does this). */
  static open(pg: ClientBase, schema: string): FencedStore {
    return new FencedStore(pg, `${schema}.documents`);
  }

  // The check and the write are one statement, so no other write can
  // slip between them. Equal tokens pass: the same holder may write twice.
  /** Writes `body` if no write with a larger fencing token has landed. */
  async write(id: string, body: string, fence: number): Promise<WriteOutcome> {
    const result = await this.pg.query(
      `UPDATE ${this.table} SET body = $2, fence = $3 WHERE id = $1 AND fence <= $3`,
      [id, body, fence],
    );
    if (result.rowCount === 1) return { accepted: true };
    const { rows } = await this.pg.query<{ fence: string }>(
      `SELECT fence FROM ${this.table} WHERE id = $1`,
      [id],
    );
    return { accepted: false, newestFence: Number(rows[0]?.fence) };
  }

  /** The write without the check: whoever writes last wins, stale or not. */
  async writeUnfenced(id: string, body: string): Promise<WriteOutcome> {
    await this.pg.query(`UPDATE ${this.table} SET body = $2 WHERE id = $1`, [id, body]);
    return { accepted: true };
  }

  async read(id: string): Promise<{ body: string; fence: number }> {
    const { rows } = await this.pg.query<{ body: string; fence: string }>(
      `SELECT body, fence FROM ${this.table} WHERE id = $1`,
      [id],
    );
    return { body: rows[0]!.body, fence: Number(rows[0]!.fence) };
  }
}
