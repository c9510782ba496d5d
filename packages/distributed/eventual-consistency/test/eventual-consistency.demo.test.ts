import { describe, expect, it } from "@jest/globals";
import { CaptureRenderer, runDemo } from "@playground/kit";
import demo from "../src/demo.js";

describe("eventual-consistency demo", () => {
  it("when the demo runs in fast mode, then it reads a stale value, charts stale reads against lag, and every claim holds", async () => {
    // Arrange
    const capture = new CaptureRenderer();

    // Act
    await runDemo(demo, { renderers: [capture], fast: true });

    // Assert
    const events = capture.ofType("event");
    expect(events.some((e) => e.actor === "client" && e.detail?.startsWith("stale"))).toBe(true);
    expect(events.filter((e) => e.actor === "checker")).toHaveLength(5);
    expect(capture.ofType("say").filter((s) => s.text.includes("│"))).toHaveLength(5);
    expect(capture.metric("time to convergence at 100 ms lag")).toBeGreaterThan(50);
    expect(capture.metric("stale reads at 40 ms lag")).toBeGreaterThan(
      capture.metric("stale reads with no added lag")!,
    );
    expect(capture.ofType("table")).toHaveLength(3);
    const claims = capture.ofType("claim");
    expect(claims).toHaveLength(7);
    expect(claims.filter((c) => !c.holds)).toEqual([]);
  });
});
