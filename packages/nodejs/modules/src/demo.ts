import { defineDemo } from "@playground/kit";
import {
  cjsCycle,
  esmCycle,
  importCjs,
  importCounter,
  importDynamic,
  importOrder,
  importUndetectableName,
  parseAsModule,
  requireCounter,
  requireDynamic,
  requireEsm,
  requireOrder,
  runTypelessJs,
} from "./modules.js";
import { treeShaking } from "./tree-shaking.js";

export default defineDemo({
  title: "require vs import",
  services: [],
  async run(ctx) {
    ctx.say("The same small modules, loaded with require and with import, each in a fresh node.");

    // Loading: where and when a dependency runs.
    const required = await requireOrder();
    ctx.event("cjs", "require in the middle of the file", required.order.join(" → "));
    const imported = await importOrder();
    ctx.event("esm", "import in the middle of the file", imported.order.join(" → "));
    const hoisted = imported.order[0] === "side-effect.mjs evaluated";
    const inOrder = required.order[1] === "side-effect.cjs evaluated";
    await ctx.sleep(300);

    const french = await requireDynamic("fr");
    const lazy = await requireDynamic("en");
    ctx.event(
      "cjs",
      "require('./plugins/' + language + '.cjs')",
      `"${french.greeting}", a promise? ${french.returnsPromise}`,
    );
    const dynamicImport = await importDynamic("fr");
    ctx.event(
      "esm",
      "import('./plugins/' + language + '.cjs')",
      `a promise? ${dynamicImport.returnsPromise}`,
    );
    const blockError = await parseAsModule('if (true) { import "node:path"; }');
    ctx.event("esm", "import inside an if", blockError ?? "parsed");
    await ctx.sleep(300);

    // Bindings: a copied value versus a live binding.
    const cjsCounter = await requireCounter();
    const esmCounter = await importCounter();
    ctx.event("cjs", "counter.increment() twice", `require sees count = ${cjsCounter.property}`);
    ctx.event("esm", "increment() twice", `import sees count = ${esmCounter.esm}`);
    await ctx.sleep(300);

    // Cycles: a half-filled object versus a temporal dead zone.
    const cjs = await cjsCycle();
    const esm = await esmCycle();
    ctx.event("cjs", "a requires b requires a", `b saw a's keys: [${cjs.bSawKeysOfA.join(", ")}]`);
    ctx.event("esm", "a imports b imports a", esm.readingA);
    await ctx.sleep(300);

    // Interop on this Node.
    const fromEsm = await importCjs();
    const hidden = await importUndetectableName();
    ctx.event(
      "esm",
      "import lib from './lib.cjs'",
      `default is module.exports: ${fromEsm.defaultIsModuleExports}; named: ${fromEsm.namespaceKeys.join(", ")}`,
    );
    ctx.event("esm", "import { hidden } from './lib.cjs'", hidden ?? "linked");
    const fromCjs = await requireEsm();
    ctx.event(
      "cjs",
      `require('./esm.mjs') on ${fromCjs.node}`,
      `${fromCjs.tag}, keys ${fromCjs.keys.join(", ")}, warning printed: ${fromCjs.warned}`,
    );
    ctx.event("cjs", "require('./tla.mjs')", fromCjs.tla);
    const typeless = await runTypelessJs(undefined);
    ctx.event("node", "main.js with import syntax, no package.json", typeless.output);
    await ctx.sleep(300);

    // Tree-shaking: the bundler, not Node, removes what nobody imports.
    const { esm: esmBundle, cjs: cjsBundle } = await treeShaking();
    ctx.event(
      "esbuild",
      "bundled the ESM version",
      `unusedVolume kept: ${esmBundle.keepsUnusedExport}`,
    );
    ctx.event(
      "esbuild",
      "bundled the CJS version",
      `unusedVolume kept: ${cjsBundle.keepsUnusedExport}`,
    );
    ctx.metric("ESM bundle", esmBundle.bytes, "bytes");
    ctx.metric("CJS bundle", cjsBundle.bytes, "bytes");

    ctx.table([
      { question: "runs where it is written", require: inOrder, import: !hoisted },
      { question: "computed path", require: "require(expr)", import: "import(expr), a promise" },
      {
        question: "exports",
        require: `copy (${cjsCounter.property})`,
        import: `live (${esmCounter.esm})`,
      },
      { question: "cycle", require: "half-filled exports", import: "TDZ ReferenceError" },
      {
        question: "loads the other kind",
        require: `namespace; ${fromCjs.tla} with TLA`,
        import: "default = module.exports",
      },
      { question: "bundle bytes", require: cjsBundle.bytes, import: esmBundle.bytes },
    ]);
    ctx.claim(
      "require runs in source order; import runs the dependency before the first line",
      inOrder && hoisted,
    );
    ctx.claim(
      "require takes a computed path, inside an if, and returns at once",
      french.greeting === "bonjour" &&
        !french.returnsPromise &&
        !lazy.loaded.includes("plugins/de.cjs"),
    );
    ctx.claim(
      "an import declaration cannot be conditional; import() can, and returns a promise",
      blockError !== undefined && dynamicImport.returnsPromise,
    );
    ctx.claim(
      "CJS exports a copied value; ESM exports a live binding",
      cjsCounter.property === 0 && esmCounter.esm === 2,
    );
    ctx.claim(
      "a CJS cycle sees half-filled exports; an ESM cycle throws a TDZ ReferenceError",
      cjs.bSawKeysOfA.join() === "early" && esm.readingA.startsWith("ReferenceError"),
    );
    ctx.claim(
      "import of CJS: default is module.exports, named exports only where statically visible",
      fromEsm.defaultIsModuleExports && hidden !== undefined,
    );
    ctx.claim(
      "require of ESM works without top-level await and throws ERR_REQUIRE_ASYNC_MODULE with it",
      fromCjs.tag === "[object Module]" && fromCjs.tla === "ERR_REQUIRE_ASYNC_MODULE",
    );
    ctx.claim("a typeless .js with import syntax runs as ESM", typeless.ran);
    ctx.claim(
      "esbuild drops the unused ESM export and keeps the CJS one",
      !esmBundle.keepsUnusedExport && cjsBundle.keepsUnusedExport,
    );
  },
});
