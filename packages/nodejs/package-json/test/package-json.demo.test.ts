import { describe, expect, it } from "@jest/globals";
import { CaptureRenderer, runDemo } from "@playground/kit";
import demo from "../src/demo.js";

describe("the package-json demo", () => {
  it("when it runs in fast mode, then it drives real npm through every field and every claim holds", async () => {
    // Arrange
    const capture = new CaptureRenderer();

    // Act
    await runDemo(demo, { renderers: [capture], fast: true });

    // Assert
    expect(capture.events[0]?.type).toBe("say");
    const events = capture.ofType("event");
    const detail = (what: string) => events.find((e) => e.what === what)?.detail;
    expect(detail("npm run build")).toBe("prebuild → build → postbuild");
    expect(detail("npm install --omit=dev")).toBe("node_modules: runtime-lib");
    expect(detail('require("guarded/lib/internal.js")')).toContain("ERR_PACKAGE_PATH_NOT_EXPORTED");
    expect(capture.metric("npm install, offline")).toBeGreaterThan(0);
    expect(capture.ofType("table")).toHaveLength(1);
    const claims = capture.ofType("claim");
    expect(claims.length).toBeGreaterThanOrEqual(9);
    expect(claims.filter((c) => !c.holds)).toEqual([]);
  });
});
