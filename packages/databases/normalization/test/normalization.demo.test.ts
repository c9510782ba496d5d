import { describe, expect, it } from "@jest/globals";
import { CaptureRenderer, runDemo } from "@playground/kit";
import demo from "../src/demo.js";

describe("normalization demo", () => {
  it("when the demo runs in fast mode, then it shows the three anomalies in the flat table and none in 3NF, prices both read models, and every claim holds", async () => {
    // Arrange
    const capture = new CaptureRenderer();

    // Act
    await runDemo(demo, { renderers: [capture], fast: true });

    // Assert
    const events = capture.ofType("event");
    expect(events.filter((e) => e.actor === "flat")).toHaveLength(3);
    expect(events.filter((e) => e.actor === "3nf")).toHaveLength(4);
    expect(capture.metric("REFRESH cost ÷ one run of the query")).toBeGreaterThan(0.5);
    expect(capture.metric("write cost of the trigger")).toBeGreaterThan(1.5);
    expect(capture.ofType("table")[0]?.rows).toHaveLength(3);
    const claims = capture.ofType("claim");
    expect(claims).toHaveLength(6);
    expect(claims.filter((c) => !c.holds)).toEqual([]);
  });
});
