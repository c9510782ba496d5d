import { describe, expect, it } from "@jest/globals";
import { CaptureRenderer, runDemo } from "@playground/kit";
import demo from "../src/demo.js";

describe("the worker-threads demo", () => {
  it("when it runs in fast mode, then it measures the stall, the pool, copies, Atomics and pids, and every claim holds", async () => {
    // Arrange
    const capture = new CaptureRenderer();

    // Act
    await runDemo(demo, { renderers: [capture], fast: true });

    // Assert
    expect(capture.events[0]?.type).toBe("say");
    for (const name of [
      "ping p99, work on the main thread",
      "ping p99, work in the pool",
      "speedup with two workers",
      "increments lost without Atomics",
    ]) {
      expect(capture.metric(name)).toBeGreaterThan(0);
    }
    expect(capture.ofType("table")).toHaveLength(1);
    const claims = capture.ofType("claim");
    expect(claims.length).toBeGreaterThanOrEqual(8);
    expect(claims.filter((c) => !c.holds)).toEqual([]);
  });
});
