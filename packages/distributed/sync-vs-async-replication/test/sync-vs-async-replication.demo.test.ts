import { describe, expect, it } from "@jest/globals";
import { CaptureRenderer, runDemo } from "@playground/kit";
import demo from "../src/demo.js";

describe("sync-vs-async-replication demo", () => {
  it("when the demo runs in fast mode, then sync is slower and blocks, async loses acknowledged writes, and every claim holds", async () => {
    // Arrange
    const capture = new CaptureRenderer();

    // Act
    await runDemo(demo, { renderers: [capture], fast: true });

    // Assert
    const transitions = capture.ofType("state").map((s) => `${s.actor}: ${s.from}→${s.to}`);
    expect(transitions).toEqual([
      "async replica: streaming→partitioned",
      "async primary: up→killed",
      "async replica: partitioned→primary",
      "sync replica: streaming→partitioned",
      "sync primary: up→killed",
      "sync replica: partitioned→primary",
    ]);
    expect(capture.metric("sync / async commit latency")).toBeGreaterThan(2);
    expect(capture.metric("async: acknowledged writes lost")).toBeGreaterThan(0);
    expect(capture.metric("sync: acknowledged writes lost")).toBe(0);
    expect(
      capture.metric("synchronous_commit = on, reads on the standby that missed"),
    ).toBeGreaterThan(0);
    const claims = capture.ofType("claim");
    expect(claims).toHaveLength(7);
    expect(claims.filter((c) => !c.holds)).toEqual([]);
    expect(capture.ofType("table")).toHaveLength(1);
  });
});
