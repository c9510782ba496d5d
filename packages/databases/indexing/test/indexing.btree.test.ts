import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { ScratchDatabase } from "@playground/kit";
import {
  BY_EMAIL,
  EMAIL_INDEX,
  EMAIL_ONLY,
  emailOf,
  loadUsers,
  sizeOf,
  withIndexes,
} from "../src/indexing.js";
import { type Explained, explain, indexesUsed, scanTypes } from "../src/plan.js";
import { testDatabase } from "./database.js";

const ROWS = 200_000;
const EMAIL = emailOf(123_457);

/** The run with the median execution time of `runs` EXPLAIN ANALYZE runs. */
async function medianRun(run: () => Promise<Explained>, runs = 5): Promise<Explained> {
  const all: Explained[] = [];
  for (let i = 0; i < runs; i++) all.push(await run());
  return all.sort((a, b) => a.executionMs - b.executionMs)[Math.floor(runs / 2)]!;
}

describe("indexing: a B-tree index, before and after", () => {
  let db: ScratchDatabase;

  beforeAll(async () => {
    db = await testDatabase("indexing_btree");
    await loadUsers(db.pool, ROWS);
  });

  afterAll(async () => {
    await db?.[Symbol.asyncDispose]();
  });

  it("when no index covers the email, then a lookup by email is a Seq Scan that reads every page of the table", async () => {
    // Arrange
    const tablePages = (await sizeOf(db.pool, "users")) / 8192;

    // Act
    const { plan, pages } = await explain(db.pool, BY_EMAIL, [EMAIL]);

    // Assert
    expect(scanTypes(plan)).toEqual(["Seq Scan"]);
    expect(plan["Actual Rows"]).toBe(1);
    expect(pages).toBe(tablePages);
  });

  it("when a B-tree index on email exists, then the same lookup is an Index Scan that reads a handful of pages", async () => {
    // Act
    const { plan, pages } = await withIndexes(db.pool, [EMAIL_INDEX], (client) =>
      explain(client, BY_EMAIL, [EMAIL]),
    );

    // Assert
    expect(scanTypes(plan)).toEqual(["Index Scan"]);
    expect(indexesUsed(plan)).toEqual(["users_email"]);
    expect(plan["Actual Rows"]).toBe(1);
    expect(pages).toBeLessThanOrEqual(6);
  });

  it("when the index is built, then the lookup runs many times faster, as the server measures it", async () => {
    // Act
    const before = await medianRun(() => explain(db.pool, BY_EMAIL, [EMAIL]));
    const after = await withIndexes(db.pool, [EMAIL_INDEX], (client) =>
      medianRun(() => explain(client, BY_EMAIL, [EMAIL])),
    );

    // Assert
    expect(scanTypes(before.plan)).toEqual(["Seq Scan"]);
    expect(scanTypes(after.plan)).toEqual(["Index Scan"]);
    expect(before.executionMs / after.executionMs).toBeGreaterThan(20);
  });

  it("when a query asks only for the indexed column, then it is an Index Only Scan that never reads the table", async () => {
    // Act
    const { plan } = await withIndexes(db.pool, [EMAIL_INDEX], (client) =>
      explain(client, EMAIL_ONLY, [EMAIL]),
    );

    // Assert
    expect(scanTypes(plan)).toEqual(["Index Only Scan"]);
    expect(plan["Heap Fetches"]).toBe(0);
  });
});
