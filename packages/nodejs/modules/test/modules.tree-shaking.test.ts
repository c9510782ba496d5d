import { describe, expect, it } from "@jest/globals";
import { nodeLoadsEverything, treeShaking } from "../src/tree-shaking.js";

describe("tree-shaking is a bundler's work, made possible by static imports", () => {
  it("when Node imports one export of an ES module, then the unused export is still loaded: Node itself does not tree-shake", async () => {
    // Act
    const loaded = await nodeLoadsEverything();

    // Assert
    expect(loaded.unusedVolume).toBe("function");
  });

  it("when esbuild bundles the ESM version, then the unused export is gone", async () => {
    // Act
    const { esm } = await treeShaking();

    // Assert
    expect(esm.keepsUnusedExport).toBe(false);
    expect(esm.code).toContain("function area");
  });

  it("when esbuild bundles the same code written as CommonJS, then the unused export is kept and the bundle is larger", async () => {
    // Act
    const { esm, cjs } = await treeShaking();

    // Assert
    expect(cjs.keepsUnusedExport).toBe(true);
    expect(cjs.bytes).toBeGreaterThan(esm.bytes);
  });
});
