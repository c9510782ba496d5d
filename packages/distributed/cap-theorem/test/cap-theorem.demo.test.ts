import { describe, expect, it } from "@jest/globals";
import { CaptureRenderer, runDemo } from "@playground/kit";
import demo from "../src/demo.js";

describe("cap-theorem demo", () => {
  it("when the demo runs in fast mode, then the CP pair refuses writes, the AP pair fails over and loses writes, and every claim holds", async () => {
    // Arrange
    const capture = new CaptureRenderer();

    // Act
    await runDemo(demo, { renderers: [capture], fast: true });

    // Assert
    const states = capture.ofType("state").map((s) => `${s.actor}: ${s.from}→${s.to}`);
    expect(states).toEqual([
      "CP network: connected→healthy",
      "CP network: healthy→partitioned",
      "CP network: partitioned→healing",
      "AP network: connected→healthy",
      "AP network: healthy→partitioned",
      "AP network: partitioned→healing",
    ]);
    const events = capture.ofType("event").map((e) => `${e.actor}: ${e.what}`);
    expect(events).toContain("failover: promoted the replica");
    expect(events).toContain("old primary: rejoined as a replica of the new primary");
    expect(capture.metric("CP availability during the partition")).toBe(0);
    expect(capture.metric("AP availability during the partition")).toBeGreaterThanOrEqual(90);
    expect(capture.metric("AP lost writes")).toBeGreaterThan(0);
    const [table] = capture.ofType("table");
    expect(table?.rows.map((row) => row["lost writes"])).toEqual([0, expect.any(Number)]);
    const claims = capture.ofType("claim");
    expect(claims).toHaveLength(6);
    expect(claims.filter((c) => !c.holds)).toEqual([]);
  });
});
