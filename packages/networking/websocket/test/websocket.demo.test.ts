import { describe, expect, it } from "@jest/globals";
import { CaptureRenderer, runDemo } from "@playground/kit";
import demo from "../src/demo.js";

describe("websocket demo", () => {
  it("when the demo runs in fast mode, then it shows the 101, push beating polling, the heartbeat, bounded buffers and Redis fan-out, and every claim holds", async () => {
    // Arrange
    const capture = new CaptureRenderer();

    // Act
    await runDemo(demo, { renderers: [capture], fast: true });

    // Assert
    const events = capture.ofType("event");
    expect(events.some((e) => e.actor === "a" && e.what === "101 Switching Protocols")).toBe(true);
    expect(events.some((e) => e.actor === "b" && e.what.startsWith("terminated"))).toBe(true);
    expect(events.some((e) => e.actor === "b" && e.what.startsWith("pushed"))).toBe(true);
    expect(capture.metric("long-polling requests / WebSocket requests")).toBeGreaterThan(20);
    expect(capture.metric("long-polling bytes / WebSocket bytes")).toBeGreaterThan(1);
    const [table] = capture.ofType("table");
    expect(table?.rows.map((r) => r.transport)).toEqual([
      "websocket",
      "long-polling",
      "short-polling",
    ]);
    const claims = capture.ofType("claim");
    expect(claims).toHaveLength(7);
    expect(claims.filter((c) => !c.holds)).toEqual([]);
  });
});
