import { describe, expect, it } from "@jest/globals";
import { CaptureRenderer, runDemo } from "@playground/kit";
import demo from "../src/demo.js";

describe("http1-vs-http2 demo", () => {
  it("when the demo runs in fast mode, then HTTP/2 loads the page fastest on one connection and every claim holds", async () => {
    // Arrange
    const capture = new CaptureRenderer();

    // Act
    await runDemo(demo, { renderers: [capture], fast: true });

    // Assert
    // Generous: 100 HTTP/2 streams cost real CPU, and a loaded machine shrinks the ratio.
    expect(capture.metric("HTTP/1.1 ×1 / HTTP/2 ×1")).toBeGreaterThan(2);
    expect(capture.metric("request bytes, HTTP/1.1 / HTTP/2")).toBeGreaterThan(10);
    const frames = capture
      .ofType("event")
      .filter((e) => e.actor === "HTTP/2" && e.what.endsWith("frame, stream 1"))
      .map((e) => e.what);
    expect(frames[0]).toBe("HEADERS frame, stream 1");
    expect(frames.at(-1)).toBe("DATA frame, stream 1");
    const claims = capture.ofType("claim");
    expect(claims).toHaveLength(7);
    expect(claims.filter((c) => !c.holds)).toEqual([]);
    expect(capture.ofType("table")).toHaveLength(1);
  });
});
