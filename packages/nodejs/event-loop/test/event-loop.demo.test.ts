import { describe, expect, it } from "@jest/globals";
import { CaptureRenderer, runDemo } from "@playground/kit";
import demo from "../src/demo.js";

describe("the event-loop demo", () => {
  it("when the demo runs in fast mode, then it reports the phase order, the race, the timings and only claims that hold", async () => {
    // Arrange
    const capture = new CaptureRenderer();

    // Act
    await runDemo(demo, { renderers: [capture], fast: true });

    // Assert
    const loop = capture.ofType("event").filter((e) => e.actor === "loop");
    expect(loop.slice(0, 4).map((e) => e.what)).toEqual([
      "1. nextTick",
      "2. promise",
      "3. setImmediate",
      "4. setTimeout 0",
    ]);
    const runs =
      (capture.metric("timeout-first runs") ?? 0) + (capture.metric("immediate-first runs") ?? 0);
    expect(runs).toBe(10);
    expect(capture.metric("100 requests / 1 request")).toBeLessThan(10);
    expect(capture.metric("max event-loop delay")).toBeGreaterThan(0);
    expect(capture.ofType("table")).toHaveLength(2);
    const claims = capture.ofType("claim");
    expect(claims).toHaveLength(9);
    expect(claims.filter((c) => !c.holds)).toEqual([]);
  });
});
