import { describe, expect, it } from "@jest/globals";
import { CaptureRenderer, runDemo } from "@playground/kit";
import demo from "../src/demo.js";

describe("event-driven-architecture demo", () => {
  it("when the demo runs in fast mode, then the event fans out, replays, survives the crash with the outbox, and every claim holds", async () => {
    // Arrange
    const capture = new CaptureRenderer();

    // Act
    await runDemo(demo, { renderers: [capture], fast: true });

    // Assert
    const events = capture.ofType("event");
    const said = (actor: string, what: string) =>
      events.find((e) => e.actor === actor && e.what === what)?.detail;
    expect(said("naive writer", "orders saved: 1")).toBe("events in Kafka: 0");
    expect(said("outbox writer", "orders saved: 1")).toBe("events in Kafka: 1");
    expect(
      capture
        .ofType("state")
        .filter((s) => s.actor === "email")
        .map((s) => s.to),
    ).toEqual(["stopped", "running"]);
    const claims = capture.ofType("claim");
    expect(claims).toHaveLength(7);
    expect(claims.filter((c) => !c.holds)).toEqual([]);
    expect(capture.ofType("table")).toHaveLength(1);
  });
});
