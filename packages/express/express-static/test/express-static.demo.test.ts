import { describe, expect, it } from "@jest/globals";
import { CaptureRenderer, runDemo } from "@playground/kit";
import demo from "../src/demo.js";

describe("the express-static demo", () => {
  it("when the demo runs in fast mode, then it revalidates, range-reads, fends off traversal, measures throughput and every claim holds", async () => {
    // Arrange
    const capture = new CaptureRenderer();

    // Act
    await runDemo(demo, { renderers: [capture], fast: true });

    // Assert
    const client = capture
      .ofType("event")
      .filter((e) => e.actor === "client")
      .map((e) => e.what);
    expect(client).toEqual([
      "GET /index.html → 200",
      "GET /index.html with If-None-Match → 304",
      "GET /assets/app.3f9a2c.js → 200",
      "GET /alphabet.txt, Range bytes=0-4 → 206",
      "GET /.env → 404",
    ]);
    expect(capture.ofType("event").filter((e) => e.actor === "attacker")).toHaveLength(4);
    expect(capture.metric("express.static requests/s")).toBeGreaterThan(0);
    expect(capture.metric("res.send from memory requests/s")).toBeGreaterThan(0);
    expect(capture.ofType("table")).toHaveLength(1);
    const claims = capture.ofType("claim");
    expect(claims).toHaveLength(6);
    expect(claims.filter((c) => !c.holds)).toEqual([]);
  });
});
