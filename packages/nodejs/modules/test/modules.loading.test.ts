import { describe, expect, it } from "@jest/globals";
import {
  importDynamic,
  importOrder,
  parseAsModule,
  requireDynamic,
  requireOrder,
  runTypelessJs,
} from "../src/modules.js";

describe("require is a synchronous function call; import is a static declaration", () => {
  it("when require sits in the middle of a file, then the required module runs exactly there, in source order", async () => {
    // Act
    const { order } = await requireOrder();

    // Assert
    expect(order).toEqual([
      "main: before require",
      "side-effect.cjs evaluated",
      "main: after require",
    ]);
  });

  it("when import sits in the middle of a file, then the imported module runs before the file's first line", async () => {
    // Act
    const { order } = await importOrder();

    // Assert
    expect(order).toEqual([
      "side-effect.mjs evaluated",
      "main: before import",
      "main: after import",
    ]);
  });

  it("when require gets a computed path, then it returns that module's exports at once, not a promise", async () => {
    // Act
    const french = await requireDynamic("fr");

    // Assert
    expect(french.greeting).toBe("bonjour");
    expect(french.returnsPromise).toBe(false);
  });

  it("when a require sits inside an if, then the module loads only if that branch runs", async () => {
    // Act
    const without = await requireDynamic("en");
    const withDebug = await requireDynamic("en", true);

    // Assert
    expect(without.loaded).not.toContain("plugins/de.cjs");
    expect(withDebug.loaded).toContain("plugins/de.cjs");
  });

  it("when an import declaration is inside a block or has a computed specifier, then Node refuses to parse the module", async () => {
    // Act
    const inBlock = await parseAsModule('if (true) { import "node:path"; }');
    const computed = await parseAsModule('const name = "path"; import x from "node:" + name;');
    const valid = await parseAsModule('import "node:path";');

    // Assert
    expect(inBlock).toMatch(/^SyntaxError/);
    expect(computed).toMatch(/^SyntaxError/);
    expect(valid).toBeUndefined();
  });

  it("when ESM needs a computed path, then import() loads it and returns a promise", async () => {
    // Act
    const french = await importDynamic("fr");

    // Assert
    expect(french).toEqual({ greeting: "bonjour", returnsPromise: true });
  });
});

describe("which module system a .js file gets depends on package.json, not on a default", () => {
  it("when a .js file uses import syntax and no package.json sets a type, then Node 20.19+ detects it and runs it as ESM", async () => {
    // Act
    const noPackageJson = await runTypelessJs(undefined);
    const typelessPackageJson = await runTypelessJs({ name: "typeless" });

    // Assert
    expect(noPackageJson.ran).toBe(true);
    expect(noPackageJson.output).toContain("typeof require is undefined");
    expect(typelessPackageJson.ran).toBe(true);
    expect(typelessPackageJson.stderr).toContain("MODULE_TYPELESS_PACKAGE_JSON");
  });

  it('when package.json says "type": "commonjs", then the same .js file is CommonJS and its import is a SyntaxError', async () => {
    // Act
    const commonjs = await runTypelessJs({ name: "cjs", type: "commonjs" });

    // Assert
    expect(commonjs.ran).toBe(false);
    expect(commonjs.stderr).toContain("Cannot use import statement outside a module");
  });
});
