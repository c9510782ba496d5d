import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { type ReadFrom, ReplicaBehindError } from "../src/replication.js";
import { freshTable, type PostgresPair, startPostgresPair } from "./fixtures.js";

const CYCLES = 30;
const LINK_DELAY_MS = 20;

describe("read-your-writes on a PostgreSQL replica", () => {
  let postgres: PostgresPair;

  beforeAll(async () => {
    postgres = await startPostgresPair();
  });

  afterEach(() => postgres.handle.link!.restore());

  afterAll(async () => {
    await postgres?.[Symbol.asyncDispose]();
  });

  /** Writes a row, reads it straight back from `from`, and counts the reads that missed it. */
  async function writeThenRead(table: string, from: ReadFrom) {
    let misses = 0;
    let servedByReplica = 0;
    for (let id = 1; id <= CYCLES; id++) {
      await postgres.db.write(`insert into ${table} (id) values ($1)`, [id]);
      const { rows } = await postgres.db.read<{ replica: boolean }>(
        `select pg_is_in_recovery() as replica from ${table} where id = $1`,
        [id],
        from,
      );
      if (rows.length === 0) misses++;
      else if (rows[0]!.replica) servedByReplica++;
    }
    return { misses, servedByReplica };
  }

  it("when a client reads the replica right after its own write, then some reads miss the write", async () => {
    // Arrange
    const table = await freshTable(postgres.db, "ryw");
    postgres.handle.link!.latency(LINK_DELAY_MS);

    // Act
    const { misses } = await writeThenRead(table, "replica");

    // Assert
    expect(misses).toBeGreaterThan(0);
  });

  it("when the client first waits for the replica to replay its commit's LSN, then no read misses its own write", async () => {
    // Arrange
    const table = await freshTable(postgres.db, "ryw");
    postgres.handle.link!.latency(LINK_DELAY_MS);

    // Act
    const { misses, servedByReplica } = await writeThenRead(table, "replica-after-my-writes");

    // Assert
    expect(misses).toBe(0);
    expect(servedByReplica).toBe(CYCLES);
  });

  it("when the client reads from the primary after its own write, then no read misses its own write", async () => {
    // Arrange
    const table = await freshTable(postgres.db, "ryw");
    postgres.handle.link!.latency(LINK_DELAY_MS);

    // Act
    const { misses, servedByReplica } = await writeThenRead(table, "primary");

    // Assert
    expect(misses).toBe(0);
    expect(servedByReplica).toBe(0);
  });

  it("when the replica cannot replay the commit in time, then the read fails with ReplicaBehindError instead of returning stale data", async () => {
    // Arrange
    const table = await freshTable(postgres.db, "ryw");
    postgres.handle.link!.blackhole();
    await postgres.db.write(`insert into ${table} (id) values (1)`);

    // Act
    const read = postgres.db.read(`select * from ${table}`, [], "replica-after-my-writes", 300);

    // Assert
    await expect(read).rejects.toThrow(ReplicaBehindError);
    expect((await postgres.db.read(`select * from ${table}`, [], "replica")).rowCount).toBe(0);
  });
});
