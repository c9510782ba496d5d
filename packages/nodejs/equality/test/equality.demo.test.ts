import { describe, expect, it } from "@jest/globals";
import { CaptureRenderer, runDemo } from "@playground/kit";
import demo from "../src/demo.js";

describe("the equality demo", () => {
  it("when the demo runs in fast mode, then it prints both 14 × 14 tables, traces the coercions and every claim holds", async () => {
    // Arrange
    const capture = new CaptureRenderer();

    // Act
    await runDemo(demo, { renderers: [capture], fast: true });

    // Assert
    const [loose, strict] = capture.ofType("table");
    expect(loose?.rows).toHaveLength(14);
    expect(strict?.rows).toHaveLength(14);
    expect(loose?.rows.find((r) => r["=="] === "[]")?.false).toBe("✓");
    expect(capture.metric("cells where the spec's rules agree with ==")).toBe(196);
    expect(capture.ofType("event").map((e) => e.what)).toContain(
      '[] == false → [] == 0 → "" == 0 → 0 == 0 → true',
    );
    const claims = capture.ofType("claim");
    expect(claims).toHaveLength(6);
    expect(claims.filter((c) => !c.holds)).toEqual([]);
  });
});
