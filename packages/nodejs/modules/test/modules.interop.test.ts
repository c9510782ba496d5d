import { describe, expect, it } from "@jest/globals";
import { importCjs, importUndetectableName, requireEsm } from "../src/modules.js";

describe("interop between the two systems on Node 20", () => {
  it("when ESM imports a CommonJS module, then the default import is module.exports and statically visible names are named exports", async () => {
    // Act
    const report = await importCjs();

    // Assert
    expect(report.defaultIsModuleExports).toBe(true);
    expect(report.detected).toBe("found by static analysis");
    expect(report.namespaceKeys).toEqual(["default", "detected"]);
    expect(report.hiddenOnDefault).toBe("only on module.exports");
  });

  it("when ESM imports a name a CommonJS module only creates at run time, then linking fails with a SyntaxError", async () => {
    // Act
    const error = await importUndetectableName();

    // Assert
    expect(error).toContain("SyntaxError: Named export 'hidden' not found");
  });

  it("when CommonJS requires an ES module without top-level await, then it gets the module namespace synchronously", async () => {
    // Act
    const report = await requireEsm();

    // Assert
    expect(report.requireModule).toBe(true);
    expect(report.tag).toBe("[object Module]");
    expect(report.keys).toEqual(["__esModule", "default", "named"]);
    expect(report.defaultType).toBe("function");
    expect(report.named).toBe("a named export");
  });

  it("when CommonJS requires an ES module with top-level await, then require throws ERR_REQUIRE_ASYNC_MODULE", async () => {
    // Act
    const report = await requireEsm();

    // Assert
    expect(report.tla).toBe("ERR_REQUIRE_ASYNC_MODULE");
  });
});
