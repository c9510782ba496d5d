import { describe, expect, it } from "@jest/globals";
import { countTogether } from "../src/shared-counter.js";

describe("a SharedArrayBuffer is shared memory, so it needs Atomics", () => {
  const workers = 4;
  const iterations = 20_000;

  it("when four workers increment a shared counter with Atomics.add, then the count is exact", async () => {
    // Act
    const result = await countTogether({ workers, iterations, atomic: true });

    // Assert
    expect(result.counted).toBe(workers * iterations);
    expect(result.lost).toBe(0);
  });

  it("when four workers increment it with a plain read and write, then some increments are lost", async () => {
    // Act
    const result = await countTogether({ workers, iterations, atomic: false });

    // Assert: never more than the true count, and in practice far fewer.
    expect(result.counted).toBeLessThanOrEqual(workers * iterations);
    expect(result.lost).toBeGreaterThan(0);
  });
});
