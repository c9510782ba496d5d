import { describe, expect, it } from "@jest/globals";
import { CaptureRenderer, runDemo } from "@playground/kit";
import demo from "../src/demo.js";

describe("rest-vs-grpc demo", () => {
  it("when the demo runs in fast mode, then it measures bytes and latency for each API, streams, hits a deadline, and every claim holds", async () => {
    // Arrange
    const capture = new CaptureRenderer();

    // Act
    await runDemo(demo, { renderers: [capture], fast: true });

    // Assert
    expect(capture.metric("product: JSON bytes / protobuf bytes")).toBeGreaterThan(1.5);
    expect(capture.metric("bytes per call: REST/1.1 / gRPC")).toBeGreaterThan(1);
    const events = capture.ofType("event");
    expect(events.filter((e) => e.what.startsWith("price "))).toHaveLength(3);
    expect(events.some((e) => e.actor === "client" && e.what.startsWith("DEADLINE_EXCEEDED"))).toBe(
      true,
    );
    const [table] = capture.ofType("table");
    expect(table?.rows.map((r) => r.api)).toEqual(["REST/1.1 express+fetch", "REST/2 h2c", "gRPC"]);
    const claims = capture.ofType("claim");
    expect(claims).toHaveLength(8);
    expect(claims.filter((c) => !c.holds)).toEqual([]);
  });
});
