import type { CommandRun, Sandbox } from "./sandbox.js";

// Node reads package.json too, on every import. Three fields change what
// our code does at run time, not just how it is installed.

/** The first `Error [CODE]` or `SyntaxError` line a failed run printed. */
export function failure(run: CommandRun): string | undefined {
  if (run.code === 0) return undefined;
  return run.stderr.match(/^(\w*Error(?: \[\w+\])?: .*)$/m)?.[1] ?? run.stderr.trim();
}

// `exports` is the package's public surface. Once it exists, only the paths
// it lists resolve from outside; every other file is private, even though it
// sits right there in node_modules. It can also answer `import` and
// `require` with different files (conditional exports).
export async function exportsMap(sandbox: Sandbox) {
  const files = {
    "index.js": 'module.exports = "root";\n',
    "feature.js": 'module.exports = "feature";\n',
    "lib/internal.js": 'module.exports = "internal";\n',
    "esm.mjs": 'export default "the import condition";\n',
    "cjs.cjs": 'module.exports = "the require condition";\n',
  };
  await sandbox.writePackage(
    "src/guarded",
    {
      name: "guarded",
      version: "1.0.0",
      exports: {
        ".": "./index.js",
        "./feature": "./feature.js",
        "./dual": { import: "./esm.mjs", require: "./cjs.cjs" },
      },
    },
    files,
  );
  await sandbox.writePackage("src/open", { name: "open", version: "1.0.0" }, files);
  await sandbox.writePackage("importer", {
    name: "importer",
    version: "1.0.0",
    dependencies: {
      guarded: sandbox.spec("src/guarded"),
      open: sandbox.spec("src/open"),
    },
  });
  const installed = await sandbox.npm("importer", ["install"]);
  if (installed.code !== 0) throw new Error(`npm install failed: ${installed.stderr}`);

  const requireIn = (specifier: string) =>
    sandbox.node("importer", ["-p", `require(${JSON.stringify(specifier)})`]);
  const importIn = (specifier: string) =>
    sandbox.node("importer", [
      "--input-type=module",
      "-e",
      `import value from ${JSON.stringify(specifier)}; console.log(value);`,
    ]);
  return {
    root: await requireIn("guarded"),
    feature: await requireIn("guarded/feature"),
    deep: await requireIn("guarded/lib/internal.js"),
    deepImport: await importIn("guarded/lib/internal.js"),
    deepWithoutExports: await requireIn("open/lib/internal.js"),
    dualRequire: await requireIn("guarded/dual"),
    dualImport: await importIn("guarded/dual"),
  };
}

// `type` decides how Node parses a `.js` file: "module" means ESM, and
// "commonjs" (or, with no ESM syntax, nothing) means CommonJS. We run one
// file, byte for byte the same, under two package.jsons.
export const SAME_FILE = [
  "const system = typeof require === 'function' ? 'CommonJS' : 'ESM';",
  "console.log(system + ', this is ' + (this === undefined ? 'undefined' : 'module.exports'));",
  "",
].join("\n");

export async function sameFileTwoTypes(sandbox: Sandbox) {
  for (const type of ["module", "commonjs"]) {
    await sandbox.writePackage(
      `type-${type}`,
      { name: `type-${type}`, version: "1.0.0", type },
      { "main.js": SAME_FILE },
    );
  }
  return {
    module: await sandbox.node("type-module", ["main.js"]),
    commonjs: await sandbox.node("type-commonjs", ["main.js"]),
  };
}

// `engines` says which Node (or npm) versions a package supports. npm
// checks it on install, warns by default and refuses with `engine-strict`.
// Node never reads it: it is a promise, not a guard.
export async function engines(sandbox: Sandbox) {
  await sandbox.writePackage(
    "src/future",
    { name: "future", version: "1.0.0", main: "index.js", engines: { node: ">=99" } },
    { "index.js": 'module.exports = "ran anyway";\n' },
  );
  const future = sandbox.spec("src/future");
  const project = (dir: string) =>
    sandbox.writePackage(dir, { name: dir, version: "1.0.0", dependencies: { future } });
  await project("lenient");
  await project("strict");
  const lenient = await sandbox.npm("lenient", ["install"]);
  const strict = await sandbox.npm("strict", ["install", "--engine-strict"]);
  return {
    lenient,
    strict,
    strictInstalled: await sandbox.installed("strict"),
    run: await sandbox.node("lenient", ["-p", 'require("future")']),
  };
}
