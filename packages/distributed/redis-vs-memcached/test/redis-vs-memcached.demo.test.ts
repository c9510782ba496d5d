import { describe, expect, it } from "@jest/globals";
import { CaptureRenderer, runDemo } from "@playground/kit";
import demo from "../src/demo.js";

describe("redis-vs-memcached demo", () => {
  it("when the demo runs in fast mode, then get + set loses points, crashes keep only a snapshot, a 2 MB value is refused by memcached, and every claim holds", async () => {
    // Arrange
    const capture = new CaptureRenderer();

    // Act
    await runDemo(demo, { renderers: [capture], fast: true });

    // Assert
    const events = capture.ofType("event").map((e) => `${e.actor} ${e.what}`);
    expect(events).toContain("redis redis ZINCRBY: 100 of 100 points on the board");
    expect(events).toContain("memcached memcached gets + cas: 100 of 100 points on the board");
    expect(events).toContain("crash redis, written before SAVE: 100 of 100 writes came back");
    expect(events).toContain("crash memcached: 0 of 100 writes came back");
    expect(events).toContain("memcached set of a 2 MB value");
    expect(capture.metric("points lost, memcached get + set")).toBeGreaterThan(0);
    expect(capture.metric("redis GET")).toBeGreaterThan(0);
    expect(capture.metric("memcached GET")).toBeGreaterThan(0);
    const claims = capture.ofType("claim");
    expect(claims).toHaveLength(9);
    expect(claims.filter((c) => !c.holds)).toEqual([]);
    expect(capture.ofType("table")).toHaveLength(1);
  });
});
