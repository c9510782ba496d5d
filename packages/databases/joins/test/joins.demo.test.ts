import { describe, expect, it } from "@jest/globals";
import { CaptureRenderer, runDemo } from "@playground/kit";
import demo from "../src/demo.js";

describe("joins demo", () => {
  it("when the demo runs in fast mode, then it shows every join kind, the NOT IN pitfall and all three algorithms, and every claim holds", async () => {
    // Arrange
    const capture = new CaptureRenderer();

    // Act
    await runDemo(demo, { renderers: [capture], fast: true });

    // Assert
    const said = capture.ofType("event").map((e) => e.what);
    for (const kind of ["INNER", "LEFT", "RIGHT", "FULL", "CROSS"]) {
      expect(said.some((what) => what.startsWith(`${kind} JOIN`))).toBe(true);
    }
    const [table] = capture.ofType("table");
    expect(new Set(table?.rows.map((row) => row["planner picked"]))).toEqual(
      new Set(["Nested Loop", "Hash Join", "Merge Join"]),
    );
    expect(capture.metric("slowdown when the planner is overruled")).toBeGreaterThan(5);
    const claims = capture.ofType("claim");
    expect(claims).toHaveLength(5);
    expect(claims.filter((c) => !c.holds)).toEqual([]);
  });
});
