import { describe, expect, it } from "@jest/globals";
import { CaptureRenderer, runDemo } from "@playground/kit";
import demo from "../src/demo.js";

describe("distributed-cache demo", () => {
  it("when the demo runs in fast mode, then a node dies, a stale set and a stampede are counted and fixed, and every claim holds", async () => {
    // Arrange
    const capture = new CaptureRenderer();

    // Act
    await runDemo(demo, { renderers: [capture], fast: true });

    // Assert
    expect(capture.ofType("state")).toEqual([
      expect.objectContaining({ actor: "memcached-B", to: "killed (SIGKILL)" }),
      expect.objectContaining({ actor: "memcached-B", to: "up (empty)" }),
      expect.objectContaining({ actor: "memcached-B", to: "killed (SIGKILL)" }),
    ]);
    const events = capture.ofType("event").map((e) => `${e.actor}: ${e.what}`);
    expect(events).toContain("writer: UPDATE p2 to 2.50, then DELETE its key");
    expect(events).toContain("memcached: p3 expired");
    expect(capture.metric("database queries with the cache")).toBeLessThan(
      capture.metric("database queries without the cache")!,
    );
    expect(capture.metric("keys missed after losing 1 of 3 nodes, hash ring")).toBeLessThan(
      capture.metric("keys missed after losing 1 of 3 nodes, modulo")!,
    );
    const claims = capture.ofType("claim");
    expect(claims).toHaveLength(10);
    expect(claims.filter((c) => !c.holds)).toEqual([]);
    expect(capture.ofType("table")).toHaveLength(1);
  });
});
