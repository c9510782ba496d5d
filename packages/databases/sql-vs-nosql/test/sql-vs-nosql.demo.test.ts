import { describe, expect, it } from "@jest/globals";
import { CaptureRenderer, runDemo } from "@playground/kit";
import demo from "../src/demo.js";

describe("sql-vs-nosql demo", () => {
  it("when the demo runs in fast mode, then it contrasts the three models on schema, queries and transactions and every claim holds", async () => {
    // Arrange
    const capture = new CaptureRenderer();

    // Act
    await runDemo(demo, { renderers: [capture], fast: true });

    // Assert
    const events = capture.ofType("event").map((e) => `${e.actor}: ${e.what}: ${e.detail ?? ""}`);
    expect(events.filter((e) => e.startsWith("relational: malformed order: 23503"))).toHaveLength(
      1,
    );
    expect(events).toContain("document: malformed order: stored");
    expect(events).toContain("key-value: malformed order: stored");
    expect(capture.metric("relational: statements")).toBe(1);
    expect(capture.metric("key-value: commands")).toBe(1 + 2 * 20 + 60);
    expect(capture.metric("key-value: round trips, pipelined")).toBe(3);
    const claims = capture.ofType("claim");
    expect(claims).toHaveLength(6);
    expect(claims.filter((c) => !c.holds)).toEqual([]);
    expect(capture.ofType("table")).toHaveLength(1);
  });
});
