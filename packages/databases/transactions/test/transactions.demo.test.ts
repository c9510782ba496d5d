import { describe, expect, it } from "@jest/globals";
import { CaptureRenderer, runDemo } from "@playground/kit";
import demo from "../src/demo.js";

describe("transactions demo", () => {
  it("when the demo runs in fast mode, then each ACID letter is shown on real servers and every claim holds", async () => {
    // Arrange
    const capture = new CaptureRenderer();

    // Act
    await runDemo(demo, { renderers: [capture], fast: true });

    // Assert
    const events = capture.ofType("event").map((e) => `${e.actor}: ${e.what}`);
    expect(events).toContain("bank: in a transaction: ROLLBACK");
    expect(events).toContain("T2: waits for T1's row lock");
    expect(events.filter((e) => e.startsWith("T2: fails: 40001"))).not.toHaveLength(0);
    expect(events.filter((e) => e.startsWith("T2: fails: 1020"))).toHaveLength(1);
    expect(events.filter((e) => e === "server: SIGKILL")).toHaveLength(2);
    expect(events).toContain("account: holds 120");
    const claims = capture.ofType("claim");
    expect(claims.length).toBeGreaterThanOrEqual(10);
    expect(claims.filter((c) => !c.holds)).toEqual([]);
    expect(capture.metric("synchronous_commit off speed-up, fsync on")).toBeGreaterThan(1);
    expect(capture.ofType("table")).toHaveLength(1);
  });
});
