import { describe, expect, it } from "@jest/globals";
import { CaptureRenderer, runDemo } from "@playground/kit";
import demo from "../src/demo.js";

describe("indexing demo", () => {
  it("when the demo runs in fast mode, then the lookup goes from Seq Scan to Index Scan, every index case shows, and every claim holds", async () => {
    // Arrange
    const capture = new CaptureRenderer();

    // Act
    await runDemo(demo, { renderers: [capture], fast: true });

    // Assert
    const plans = capture
      .ofType("event")
      .filter((e) => e.what.startsWith("WHERE email ="))
      .map((e) => e.what.split(" → ")[1]);
    expect(plans).toEqual(["Seq Scan", "Index Scan (users_email)"]);
    expect(capture.metric("speed-up")).toBeGreaterThan(20);
    expect(capture.ofType("table")[0]?.rows).toHaveLength(10);
    const claims = capture.ofType("claim");
    expect(claims).toHaveLength(9);
    expect(claims.filter((c) => !c.holds)).toEqual([]);
  });
});
