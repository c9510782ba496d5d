import { describe, expect, it } from "@jest/globals";
import { CaptureRenderer, runDemo } from "@playground/kit";
import demo from "../src/demo.js";

describe("replication demo", () => {
  it("when the demo runs in fast mode, then both replicas lag, miss and recover as measured and every claim holds", async () => {
    // Arrange
    const capture = new CaptureRenderer();

    // Act
    await runDemo(demo, { renderers: [capture], fast: true });

    // Assert
    const transitions = capture.ofType("state").map((s) => `${s.actor}: ${s.from}→${s.to}`);
    expect(transitions).toEqual([
      "postgres primary: up→killed",
      "postgres replica: replica→primary",
      "redis primary: up→killed",
      "redis replica: replica→primary",
    ]);
    const refusals = capture.ofType("event").filter((e) => e.what.endsWith("refused"));
    expect(refusals.map((e) => e.detail)).toEqual([
      expect.stringContaining("read-only transaction"),
      expect.stringMatching(/^READONLY/),
    ]);
    expect(capture.metric("PostgreSQL lag, median")).toBeGreaterThanOrEqual(0);
    expect(capture.metric("PostgreSQL lag over the slow link, median")).toBeGreaterThanOrEqual(18);
    const claims = capture.ofType("claim");
    expect(claims).toHaveLength(6);
    expect(claims.filter((c) => !c.holds)).toEqual([]);
    expect(capture.ofType("table")).toHaveLength(1);
  });
});
