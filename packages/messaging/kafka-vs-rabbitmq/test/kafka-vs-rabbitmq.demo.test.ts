import { describe, expect, it } from "@jest/globals";
import { CaptureRenderer, runDemo } from "@playground/kit";
import demo from "../src/demo.js";

describe("kafka-vs-rabbitmq demo", () => {
  it("when the demo runs in fast mode, then both brokers take the same events live and every claim holds", async () => {
    // Arrange
    const capture = new CaptureRenderer();

    // Act
    await runDemo(demo, { renderers: [capture], fast: true });

    // Assert
    const events = capture.ofType("event");
    const by = (actor: string) => events.filter((e) => e.actor === actor);
    expect(by("shop")).toHaveLength(12);
    expect(by("kafka billing").length).toBeGreaterThanOrEqual(12);
    expect(by("rabbitmq billing")).toHaveLength(12);
    expect(by("analytics").map((e) => e.what)).toEqual([
      "replayed 12 events, from offset 0 of 3 partitions",
    ]);
    expect(capture.ofType("state").map((s) => `${s.actor}: ${s.to}`)).toEqual([
      "kafka payments: killed (SIGKILL)",
      "rabbitmq payments: killed (SIGKILL)",
    ]);
    expect(capture.metric("rabbitmq: processed again after the crash")).toBe(1);
    expect(capture.metric("kafka: processed again after the crash")).toBe(3);
    const claims = capture.ofType("claim");
    expect(claims).toHaveLength(6);
    expect(claims.filter((c) => !c.holds)).toEqual([]);
    expect(capture.ofType("table")).toHaveLength(1);
  });
});
