import { describe, expect, it } from "@jest/globals";
import { CaptureRenderer, runDemo } from "@playground/kit";
import demo from "../src/demo.js";

describe("the express-errors demo", () => {
  it("when the demo runs in fast mode, then every failure is answered or cut as the answer says and every claim holds", async () => {
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
      "GET /orders/999 → 404",
      "POST /orders → 422",
      "POST /orders/1/cancel → 409",
      "GET /reports/daily → 500",
      "DELETE /no/such/thing → 404",
      "POST /orders → 400",
      "GET /orders.csv → 200",
    ]);
    expect(capture.metric("bytes received before the cut")).toBeGreaterThan(0);
    expect(capture.ofType("table")).toHaveLength(1);
    const claims = capture.ofType("claim");
    expect(claims).toHaveLength(5);
    expect(claims.filter((c) => !c.holds)).toEqual([]);
  });
});
