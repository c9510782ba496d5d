import { describe, expect, it } from "@jest/globals";
import { CaptureRenderer, runDemo } from "@playground/kit";
import bench from "../src/bench.js";

describe("indexing bench", () => {
  it("when the write-cost bench runs in fast mode, then it reports 0, 1 and 5 indexes and every claim holds", async () => {
    // Arrange
    const capture = new CaptureRenderer();

    // Act
    await runDemo(bench, { renderers: [capture], fast: true });

    // Assert
    const [table] = capture.ofType("table");
    expect(table?.rows.map((row) => row.indexes)).toEqual([0, 1, 5]);
    expect(capture.metric("insert time, 5 indexes ÷ none")).toBeGreaterThan(1.5);
    const claims = capture.ofType("claim");
    expect(claims).toHaveLength(2);
    expect(claims.filter((c) => !c.holds)).toEqual([]);
  });
});
