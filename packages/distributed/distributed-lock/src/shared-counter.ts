import { setTimeout as sleep } from "node:timers/promises";
import type { ClientBase } from "pg";

/**
 * A counter in PostgreSQL, incremented the racy way: read it, think for
 * `gapMs`, write back what we read plus one. Two processes that read the
 * same value both write the same result, and one increment is lost. That
 * read-modify-write is the critical section a lock must protect.
 */
export class SharedCounter {
  private constructor(
    private readonly pg: ClientBase,
    private readonly table: string,
  ) {}

  /** Creates `<schema>.counters` with `name` at 0. */
  static async create(pg: ClientBase, schema: string, name: string): Promise<SharedCounter> {
    await pg.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await pg.query(
      `CREATE TABLE IF NOT EXISTS ${schema}.counters (name text PRIMARY KEY, value int NOT NULL)`,
    );
    await pg.query(`INSERT INTO ${schema}.counters VALUES ($1, 0) ON CONFLICT DO NOTHING`, [name]);
    return new SharedCounter(pg, `${schema}.counters`);
  }

  static open(pg: ClientBase, schema: string): SharedCounter {
    return new SharedCounter(pg, `${schema}.counters`);
  }

  async incrementWithGap(name: string, gapMs: number): Promise<void> {
    const value = await this.value(name);
    await sleep(gapMs);
    await this.pg.query(`UPDATE ${this.table} SET value = $2 WHERE name = $1`, [name, value + 1]);
  }

  async reset(name: string): Promise<void> {
    await this.pg.query(`UPDATE ${this.table} SET value = 0 WHERE name = $1`, [name]);
  }

  async value(name: string): Promise<number> {
    const { rows } = await this.pg.query<{ value: number }>(
      `SELECT value FROM ${this.table} WHERE name = $1`,
      [name],
    );
    return rows[0]!.value;
  }
}
