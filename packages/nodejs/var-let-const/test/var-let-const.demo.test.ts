import { describe, expect, it } from "@jest/globals";
import { CaptureRenderer, runDemo } from "@playground/kit";
import demo from "../src/demo.js";

describe("the var-let-const demo", () => {
  it("when the demo runs in fast mode, then it prints every snippet with its result and every claim holds", async () => {
    // Arrange
    const capture = new CaptureRenderer();

    // Act
    await runDemo(demo, { renderers: [capture], fast: true });

    // Assert
    const rows = capture.ofType("table").flatMap((t) => t.rows);
    expect(rows).toHaveLength(capture.metric("snippets run") ?? -1);
    expect(rows.find((r) => r.case === "letBeforeDeclaration")?.result).toBe(
      "throws ReferenceError",
    );
    expect(rows.find((r) => r.case === "varInLoop")?.result).toBe("[3, 3, 3]");
    const claims = capture.ofType("claim");
    expect(claims).toHaveLength(6);
    expect(claims.filter((c) => !c.holds)).toEqual([]);
  });
});
