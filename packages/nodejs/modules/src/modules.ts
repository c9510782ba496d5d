import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { runFixture, runNode } from "./run-node.js";

// Node has two module systems. CommonJS is `require` and `module.exports`;
// ES modules are `import` and `export`. Every question below is answered by
// running a small module from `fixtures/` in a fresh `node` process, so the
// answer is this Node's behaviour and not a test runner's.

// `require` is a function. It runs where it is called, in source order,
// takes any string, and returns the exports before the next line runs.
export function requireOrder() {
  return runFixture<{ order: string[] }>("loading/require-in-order.cjs");
}

export function requireDynamic(language: string, debug = false) {
  return runFixture<{ greeting: string; returnsPromise: boolean; loaded: string[] }>(
    "loading/require-dynamic.cjs",
    language,
    ...(debug ? ["debug"] : []),
  );
}

// `import` declarations are static: Node links the whole graph and runs
// every imported module before the importer's first line, wherever the
// declaration is written. That is hoisting, and it is observable.
export function importOrder() {
  return runFixture<{ order: string[] }>("loading/import-hoisted.mjs");
}

// Static also means the parser refuses what it cannot resolve up front: an
// `import` inside a block, or a specifier that is an expression. We hand
// Node such a module and report the error it gives before running anything.
export async function parseAsModule(source: string): Promise<string | undefined> {
  const run = await runNode(["--input-type=module", "--eval", source]);
  return run.code === 0 ? undefined : run.stderr.match(/^SyntaxError: .*$/m)?.[0];
}

// When we do need a computed or conditional load in ESM, `import()` is the
// tool: any string, anywhere, but it hands back a promise.
export function importDynamic(language: string) {
  return runFixture<{ greeting: string; returnsPromise: boolean }>(
    "loading/import-dynamic.mjs",
    language,
  );
}

// A CommonJS module exports a value: `module.exports = { count }` copies
// `count` once. An ES module exports a binding: importers read the variable
// itself, so they see it change.
export function requireCounter() {
  return runFixture<{ destructured: number; property: number }>("bindings/require-counter.cjs");
}

export function importCounter() {
  return runFixture<{ esm: number; cjsImported: number }>("bindings/import-counter.mjs");
}

// Cycles: CommonJS hands the second module the first one's half-filled
// `exports`; ESM hands it bindings that throw until they are initialised.
export function cjsCycle() {
  return runFixture<{ bSawKeysOfA: string[]; finalKeysOfA: string[] }>("cycles/a.cjs");
}

export function esmCycle() {
  return runFixture<{ readingA: string; callingHello: string }>("cycles/a.mjs");
}

// Interop, ESM importing CommonJS: the default import is `module.exports`,
// and named imports are the names Node can find by scanning the source.
export function importCjs() {
  return runFixture<{
    defaultIsModuleExports: boolean;
    detected: string;
    namespaceKeys: string[];
    hiddenOnDefault: string;
  }>("interop/import-cjs.mjs");
}

export async function importUndetectableName(): Promise<string | undefined> {
  const run = await runNode(["interop/import-hidden.mjs"]);
  return run.stderr.match(/^SyntaxError: .*$/m)?.[0];
}

// Interop, CommonJS requiring ESM: new in Node 20.19 (and 22.12). It works
// for a synchronous graph and throws ERR_REQUIRE_ASYNC_MODULE for one with
// top-level await, which only `import()` can wait for.
export async function requireEsm() {
  const run = await runNode(["interop/require-esm.cjs"]);
  const report = JSON.parse(run.stdout.trim()) as {
    node: string;
    requireModule: boolean;
    tag: string;
    keys: string[];
    defaultType: string;
    named: string;
    tla: string;
  };
  return { ...report, warned: /ExperimentalWarning/.test(run.stderr) };
}

// Which system a file uses is not "CommonJS by default". `.cjs` is always
// CommonJS and `.mjs` always ESM. A `.js` file follows the `type` of the
// nearest package.json, and where none says, Node 20.19+ looks at the syntax:
// a file that only parses as ESM runs as ESM.
export async function runTypelessJs(
  packageJson: object | undefined,
): Promise<{ ran: boolean; output: string; stderr: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), "modules-typeless-"));
  try {
    if (packageJson) await writeFile(path.join(dir, "package.json"), JSON.stringify(packageJson));
    await writeFile(
      path.join(dir, "main.js"),
      [
        'import { sep } from "node:path";',
        'console.log("ran as ESM: typeof require is " + typeof require + ", path.sep " + sep);',
        "",
      ].join("\n"),
    );
    const run = await runNode(["main.js"], dir);
    return { ran: run.code === 0, output: run.stdout.trim(), stderr: run.stderr };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
