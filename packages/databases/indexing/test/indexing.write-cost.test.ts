import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { ScratchDatabase } from "@playground/kit";
import { measureWriteCost, type WriteCost } from "../src/write-cost.js";
import { testDatabase } from "./database.js";

describe("indexing: what indexes cost writes", () => {
  let db: ScratchDatabase;
  let results: WriteCost[];
  const withIndexes = (count: number) => results.find((r) => r.indexes === count)!;

  beforeAll(async () => {
    db = await testDatabase("indexing_writes");
    results = await measureWriteCost(db.pool, { rows: 20_000, rounds: 5 });
  });

  afterAll(async () => {
    await db?.[Symbol.asyncDispose]();
  });

  it("when a table has five indexes, then inserting the same rows takes well over one and a half times as long as with none", () => {
    // Assert
    expect(withIndexes(5).insertMs / withIndexes(0).insertMs).toBeGreaterThan(1.5);
  });

  it("when indexes are added, then each takes disk space of its own beside the same table", () => {
    // Assert
    expect(withIndexes(0).indexBytes).toBe(0);
    expect(withIndexes(1).indexBytes).toBeGreaterThan(0);
    expect(withIndexes(5).indexBytes).toBeGreaterThan(3 * withIndexes(1).indexBytes);
    expect(withIndexes(5).tableBytes).toBe(withIndexes(0).tableBytes);
  });
});
