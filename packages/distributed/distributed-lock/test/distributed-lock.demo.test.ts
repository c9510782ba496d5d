import { describe, expect, it } from "@jest/globals";
import { CaptureRenderer, runDemo } from "@playground/kit";
import demo from "../src/demo.js";

describe("distributed-lock demo", () => {
  it("when the demo runs in fast mode, then updates are lost only without a lock, the stale write is fenced off, and every claim holds", async () => {
    // Arrange
    const capture = new CaptureRenderer();

    // Act
    await runDemo(demo, { renderers: [capture], fast: true });

    // Assert
    expect(capture.metric("updates lost without a lock")).toBeGreaterThan(0);
    const rounds = capture
      .ofType("event")
      .filter((e) => e.actor === "workers" && e.what.includes("counter ="));
    expect(rounds.map((e) => e.what.split(":")[0])).toEqual([
      "no lock",
      "redis lock",
      "zookeeper lock",
      "advisory lock",
    ]);
    expect(
      capture.ofType("event").some((e) => e.what === 'wakes and writes "A" with token 1'),
    ).toBe(true);
    const claims = capture.ofType("claim");
    expect(claims).toHaveLength(7);
    expect(claims.filter((c) => !c.holds)).toEqual([]);
    expect(capture.ofType("table")).toHaveLength(1);
  }, 300_000); // a few dozen processes start and stop; on a loaded 2-core machine that takes a while
});
