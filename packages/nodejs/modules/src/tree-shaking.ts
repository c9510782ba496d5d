import path from "node:path";
import { build } from "esbuild";
import { FIXTURES, runFixture } from "./run-node.js";

// Tree-shaking is not something `import` does when Node runs it: Node loads
// and evaluates every module in full. It is what a bundler does when it
// builds one file for shipping. Because `import { area }` is static, the
// bundler can prove nobody uses `unusedVolume` and leave it out.
//
// `require("./shapes.cjs")` returns an object that any code may index with
// any string, so the bundler cannot prove an export unused. It keeps the
// whole module, wrapped in a function that emulates `module.exports`.

/** One bundle: its size and whether the unused export survived. */
export interface Bundle {
  bytes: number;
  keepsUnusedExport: boolean;
  code: string;
}

/** Bundles `entry` (relative to `fixtures/`) with esbuild, in memory. */
export async function bundle(entry: string): Promise<Bundle> {
  const result = await build({
    entryPoints: [path.join(FIXTURES, entry)],
    absWorkingDir: FIXTURES,
    bundle: true,
    write: false,
    format: "esm",
    platform: "node",
    logLevel: "silent",
  });
  const code = result.outputFiles[0]!.text;
  return {
    bytes: Buffer.byteLength(code),
    keepsUnusedExport: code.includes("unusedVolume"),
    code,
  };
}

/** The same two-function module, used the same way, bundled from ESM and from CJS. */
export async function treeShaking(): Promise<{ esm: Bundle; cjs: Bundle }> {
  const [esm, cjs] = await Promise.all([
    bundle("tree-shaking/esm/entry.mjs"),
    bundle("tree-shaking/cjs/entry.cjs"),
  ]);
  return { esm, cjs };
}

/** What Node itself loads when a file imports only `area`. */
export function nodeLoadsEverything() {
  return runFixture<{ area: number; unusedVolume: string }>("tree-shaking/node-keeps-all.mjs");
}
