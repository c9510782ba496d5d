import { describe, expect, it } from "@jest/globals";
import { CaptureRenderer, runDemo } from "@playground/kit";
import demo from "../src/demo.js";
import { farPathMissing } from "../src/far-path.js";

describe("tcp-vs-udp demo", () => {
  it("when the demo runs in fast mode, then UDP loses and reorders, TCP delivers everything in order, and every claim holds", async () => {
    // Arrange
    const capture = new CaptureRenderer();

    // Act
    await runDemo(demo, { renderers: [capture], fast: true });

    // Assert
    expect(capture.metric("UDP lost")).toBeGreaterThan(0);
    expect(capture.metric("UDP out of order")).toBeGreaterThan(0);
    expect(capture.metric("TCP lost")).toBe(0);
    expect(capture.metric("TCP out of order")).toBe(0);
    const reads = capture
      .ofType("event")
      .filter((e) => e.what.includes("read(s):"))
      .map((e) => `${e.actor}: ${e.what}`);
    expect(reads).toEqual([
      'tcp receiver: 1 read(s): "hello world"',
      'udp receiver: 2 read(s): "hello ", "world"',
    ]);
    const claims = capture.ofType("claim");
    // The far-host act needs root for its delay line; CI has it.
    expect(claims).toHaveLength(farPathMissing() ? 5 : 6);
    expect(claims.filter((c) => !c.holds)).toEqual([]);
    expect(capture.ofType("table")).toHaveLength(1);
  });
});
