import { describe, expect, it } from "@jest/globals";
import { CaptureRenderer, runDemo } from "@playground/kit";
import demo from "../src/demo.js";

describe("the async/await demo", () => {
  it("when the demo runs in fast mode, then it times both loops, cancels a fetch and every claim holds", async () => {
    // Arrange
    const capture = new CaptureRenderer();

    // Act
    await runDemo(demo, { renderers: [capture], fast: true });

    // Assert
    expect(capture.metric("one by one / Promise.all")).toBeGreaterThan(2);
    expect(capture.metric("exit code after an unhandled rejection")).toBe(1);
    const whats = capture.ofType("event").map((e) => `${e.actor}: ${e.what}`);
    expect(whats).toContain("server: saw its client leave and stopped the work");
    expect(whats).toContain("allSettled: rejected, fulfilled");
    expect(capture.ofType("table")).toHaveLength(1);
    const claims = capture.ofType("claim");
    expect(claims).toHaveLength(8);
    expect(claims.filter((c) => !c.holds)).toEqual([]);
  });
});
