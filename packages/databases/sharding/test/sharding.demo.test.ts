import { describe, expect, it } from "@jest/globals";
import { CaptureRenderer, runDemo } from "@playground/kit";
import demo from "../src/demo.js";

describe("sharding demo", () => {
  it("when the demo runs in fast mode, then it shards over three servers, reshards onto a fourth, and every claim holds", async () => {
    // Arrange
    const capture = new CaptureRenderer();

    // Act
    await runDemo(demo, { renderers: [capture], fast: true, cleanupMs: 10_000 });

    // Assert
    const ready = capture.ofType("event").filter((e) => e.what === "PostgreSQL ready");
    expect(ready.map((e) => e.actor).sort()).toEqual(["shard-0", "shard-1", "shard-2", "shard-3"]);
    expect(capture.metric("keys moved, modulo")).toBeGreaterThan(70);
    expect(capture.metric("keys moved, consistent hashing")).toBeLessThan(30);
    expect(capture.ofType("table")[0]?.rows).toHaveLength(4);
    const claims = capture.ofType("claim");
    expect(claims).toHaveLength(6);
    expect(claims.filter((c) => !c.holds)).toEqual([]);
  });
});
