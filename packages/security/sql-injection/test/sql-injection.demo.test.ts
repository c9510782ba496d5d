import { describe, expect, it } from "@jest/globals";
import { CaptureRenderer, runDemo } from "@playground/kit";
import demo from "../src/demo.js";

describe("sql-injection demo", () => {
  it("when the demo runs in fast mode, then every attack succeeds against the vulnerable app, fails against the safe one, and every claim holds", async () => {
    // Arrange
    const capture = new CaptureRenderer();

    // Act
    await runDemo(demo, { renderers: [capture], fast: true });

    // Assert
    const said = (actor: string) =>
      capture
        .ofType("event")
        .filter((e) => e.actor === actor)
        .map((e) => e.what);
    expect(said("vulnerable as superuser")).toEqual(
      expect.arrayContaining([
        "logged in as admin",
        "3 rows with a password hash",
        "products dropped",
        "the shell ran `id -un`: postgres",
      ]),
    );
    expect(said("safe")).not.toContain("logged in as admin");
    expect(said("sanitized")[1]).toMatch(/^admin's hash: \$2a\$06\$/);
    const claims = capture.ofType("claim");
    expect(claims.length).toBeGreaterThanOrEqual(10);
    expect(claims.filter((c) => !c.holds)).toEqual([]);
    expect(capture.metric("a 'yes' by time / a normal answer")).toBeGreaterThan(3);
    expect(capture.ofType("table")).toHaveLength(1);
  });
});
