import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { waitUntil } from "@playground/kit";
import { commitLatencies } from "../src/sync-vs-async-replication.js";
import { median, type Pair, startPair } from "./fixtures.js";

const APPLY_DELAY_MS = 200;
const CYCLES = 10;

// The standby is told to replay each commit only 200 ms after it was made
// (`recovery_min_apply_delay`), while it still receives and flushes WAL at
// once. That pulls apart the acknowledgements `synchronous_commit` can wait for.
describe("what a synchronous commit waits for", () => {
  let sync: Pair;

  beforeAll(async () => {
    sync = await startPair(true);
    await sync.replica.query(`alter system set recovery_min_apply_delay = '${APPLY_DELAY_MS}ms'`);
    await sync.replica.query("select pg_reload_conf()");
    await waitUntil(
      "the standby taking recovery_min_apply_delay",
      async () => {
        const { rows } = await sync.replica.query("show recovery_min_apply_delay");
        return rows[0].recovery_min_apply_delay === `${APPLY_DELAY_MS}ms`;
      },
      { timeoutMs: 10_000 },
    );
  });

  afterAll(async () => {
    await sync?.[Symbol.asyncDispose]();
  });

  /** Commits with `level` and reads the row straight back from the standby, `CYCLES` times. */
  async function commitThenReadStandby(level: string) {
    const table = await sync.table(level);
    await sync.primary.query(`set synchronous_commit = ${level}`);
    let misses = 0;
    const commitMs: number[] = [];
    try {
      for (let i = 0; i < CYCLES; i++) {
        const [ms] = await commitLatencies(sync.primary, table, 1);
        commitMs.push(ms!);
        const { rows } = await sync.primary.query(`select max(id) as id from ${table}`);
        const seen = await sync.replica.query(`select 1 from ${table} where id = $1`, [rows[0].id]);
        if (seen.rowCount === 0) misses++;
      }
    } finally {
      await sync.primary.query("reset synchronous_commit");
    }
    return { misses, commitMs };
  }

  it("when synchronous_commit is on, then the commit waits for the standby's flush, not its replay, so a read there can miss it", async () => {
    // Arrange (in beforeAll: replay delayed on the standby)

    // Act
    const { misses, commitMs } = await commitThenReadStandby("on");

    // Assert
    expect(misses).toBeGreaterThan(0);
    expect(median(commitMs)).toBeLessThan(APPLY_DELAY_MS);
  });

  it("when synchronous_commit is remote_apply, then the commit waits for the standby's replay, so a read there always sees it", async () => {
    // Arrange (in beforeAll: replay delayed on the standby)

    // Act
    const { misses, commitMs } = await commitThenReadStandby("remote_apply");

    // Assert
    expect(misses).toBe(0);
    expect(median(commitMs)).toBeGreaterThanOrEqual(APPLY_DELAY_MS);
  });
});
