import { describe, expect, it } from "@jest/globals";
import { CaptureRenderer, runDemo } from "@playground/kit";
import demo from "../src/demo.js";

describe("the modules demo", () => {
  it("when it runs in fast mode, then it shows each difference, measures both bundles, and every claim holds", async () => {
    // Arrange
    const capture = new CaptureRenderer();

    // Act
    await runDemo(demo, { renderers: [capture], fast: true });

    // Assert
    expect(capture.events[0]?.type).toBe("say");
    const events = capture.ofType("event").map((e) => `${e.actor}: ${e.what}`);
    expect(events).toEqual(
      expect.arrayContaining([
        "cjs: require in the middle of the file",
        "esm: import in the middle of the file",
        "cjs: require('./tla.mjs')",
        "esbuild: bundled the CJS version",
      ]),
    );
    expect(capture.metric("CJS bundle")).toBeGreaterThan(capture.metric("ESM bundle")!);
    expect(capture.ofType("table")).toHaveLength(1);
    const claims = capture.ofType("claim");
    expect(claims.length).toBeGreaterThanOrEqual(9);
    expect(claims.filter((c) => !c.holds)).toEqual([]);
  });
});
