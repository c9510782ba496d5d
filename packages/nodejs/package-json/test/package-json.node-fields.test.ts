import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { engines, exportsMap, failure, sameFileTwoTypes } from "../src/node-fields.js";
import { Sandbox } from "../src/sandbox.js";

describe("exports: the package's public surface", () => {
  // Arrange and Act, once: install a package with an exports map and one
  // without, then resolve each specifier from the consumer in a child node.
  let sandbox: Sandbox;
  let result: Awaited<ReturnType<typeof exportsMap>>;

  beforeAll(async () => {
    sandbox = await Sandbox.create();
    result = await exportsMap(sandbox);
  });

  afterAll(async () => {
    await sandbox[Symbol.asyncDispose]();
  });

  it("when a package has an exports map, then a deep import of an unlisted file fails with ERR_PACKAGE_PATH_NOT_EXPORTED", () => {
    // Assert
    expect(result.root.stdout.trim()).toBe("root");
    expect(result.feature.stdout.trim()).toBe("feature");
    expect(failure(result.deep)).toContain("ERR_PACKAGE_PATH_NOT_EXPORTED");
    expect(failure(result.deepImport)).toContain("ERR_PACKAGE_PATH_NOT_EXPORTED");
    expect(result.deepWithoutExports.stdout.trim()).toBe("internal");
  });

  it("when an export has import and require conditions, then import and require get different files", () => {
    // Assert
    const { dualImport, dualRequire } = result;
    expect(dualImport.stdout.trim()).toBe("the import condition");
    expect(dualRequire.stdout.trim()).toBe("the require condition");
  });
});

describe("type: how Node parses a .js file", () => {
  it('when the same .js file sits under "type": "module" and under "type": "commonjs", then it runs as ESM in one and CommonJS in the other', async () => {
    // Arrange
    await using sandbox = await Sandbox.create();

    // Act
    const runs = await sameFileTwoTypes(sandbox);

    // Assert
    expect(runs.module.stdout.trim()).toBe("ESM, this is undefined");
    expect(runs.commonjs.stdout.trim()).toBe("CommonJS, this is module.exports");
  });
});

describe("engines: which Node versions a package supports", () => {
  // Arrange and Act, once: a dependency that wants Node 99, installed
  // without and with engine-strict, then loaded by this Node.
  let sandbox: Sandbox;
  let result: Awaited<ReturnType<typeof engines>>;

  beforeAll(async () => {
    sandbox = await Sandbox.create();
    result = await engines(sandbox);
  });

  afterAll(async () => {
    await sandbox[Symbol.asyncDispose]();
  });

  it("when a dependency requires a newer Node, then npm warns EBADENGINE by default and installs it anyway", () => {
    const { lenient } = result;

    // Assert
    expect(lenient.code).toBe(0);
    expect(lenient.stderr).toContain("npm warn EBADENGINE");
  });

  it("when engine-strict is set, then npm refuses the install with EBADENGINE", () => {
    const { strict, strictInstalled } = result;

    // Assert
    expect(strict.code).not.toBe(0);
    expect(strict.stderr).toContain("npm error code EBADENGINE");
    expect(strictInstalled).toEqual([]);
  });

  it("when Node loads a package whose engines it does not meet, then it runs it anyway: only npm reads engines", () => {
    const { run } = result;

    // Assert
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe("ran anyway");
  });
});
