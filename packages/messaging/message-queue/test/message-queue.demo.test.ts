import { describe, expect, it } from "@jest/globals";
import { CaptureRenderer, runDemo } from "@playground/kit";
import demo from "../src/demo.js";

describe("message-queue demo", () => {
  it("when the demo runs in fast mode, then a killed worker's order is redelivered, poison is dead-lettered on both brokers, and every claim holds", async () => {
    // Arrange
    const capture = new CaptureRenderer();

    // Act
    await runDemo(demo, { renderers: [capture], fast: true });

    // Assert
    const events = capture.ofType("event").map((e) => `${e.actor} ${e.what}`);
    expect(capture.ofType("state")).toEqual([
      expect.objectContaining({ actor: "worker-1", to: "killed (SIGKILL)" }),
    ]);
    expect(events.some((e) => /^worker-2 took order-\d+ \(redelivered\)$/.test(e))).toBe(true);
    expect(events).toContain("broker poison-1 dead-lettered");
    expect(events).toContain("sqs poison-sqs-1 moved to the DLQ");
    expect(capture.metric("orders lost")).toBe(0);
    expect(capture.metric("orders processed twice")).toBe(1);
    const claims = capture.ofType("claim");
    expect(claims).toHaveLength(7);
    expect(claims.filter((c) => !c.holds)).toEqual([]);
    expect(capture.ofType("table")).toHaveLength(1);
  });
});
