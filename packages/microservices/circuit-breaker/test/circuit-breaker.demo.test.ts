import { describe, expect, it } from "@jest/globals";
import { CaptureRenderer, runDemo } from "@playground/kit";
import demo from "../src/demo.js";

describe("circuit-breaker demo", () => {
  it("when the demo runs in fast mode, then the breaker goes closed → open → half-open → closed and every claim holds", async () => {
    // Arrange
    const capture = new CaptureRenderer();

    // Act
    await runDemo(demo, { renderers: [capture], fast: true });

    // Assert
    const transitions = capture
      .ofType("state")
      .filter((s) => s.actor === "breaker")
      .map((s) => `${s.from}→${s.to}`);
    expect(transitions).toEqual([
      "closed→open",
      "open→half-open",
      "half-open→open",
      "open→half-open",
      "half-open→closed",
    ]);
    const claims = capture.ofType("claim");
    expect(claims.length).toBeGreaterThanOrEqual(5);
    expect(claims.filter((c) => !c.holds)).toEqual([]);
    expect(capture.metric("fail-fast speed-up")).toBeGreaterThan(10);
    expect(capture.ofType("table")).toHaveLength(1);
  });
});
