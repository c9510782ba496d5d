import { describe, expect, it } from "@jest/globals";
import { CaptureRenderer, runDemo } from "@playground/kit";
import demo from "../src/demo.js";

describe("the express-middleware demo", () => {
  it("when the demo runs in fast mode, then it times each middleware of one request and every claim holds", async () => {
    // Arrange
    const capture = new CaptureRenderer();

    // Act
    await runDemo(demo, { renderers: [capture], fast: true });

    // Assert: the first request walked the chain in order, one event per middleware.
    const actors = capture.ofType("event").map((e) => e.actor);
    const firstRequest = actors.slice(0, actors.indexOf("log"));
    expect(firstRequest).toEqual([
      "requestId",
      "accessLog",
      "requireBearer",
      "json",
      "createOrder",
    ]);
    for (const name of firstRequest)
      expect(capture.metric(`${name} time`)).toEqual(expect.any(Number));
    expect(capture.metric("whole request, as logged")).toBeGreaterThan(0);
    expect(capture.ofType("table")).toHaveLength(1);
    const claims = capture.ofType("claim");
    expect(claims.length).toBeGreaterThanOrEqual(6);
    expect(claims.filter((c) => !c.holds)).toEqual([]);
  });
});
