import { defineDemo } from "@playground/kit";
import { engines, exportsMap, failure, sameFileTwoTypes } from "./node-fields.js";
import {
  addDependencyByHand,
  createApp,
  install,
  installAsDependency,
  runScript,
} from "./package-json.js";
import { Sandbox } from "./sandbox.js";
import { expand, pick, satisfies } from "./semver-ranges.js";

export default defineDemo({
  title: "package.json",
  services: [],
  async run(ctx) {
    ctx.say(
      "Real npm, offline, on throwaway packages in a temp directory. Each npm run takes a moment.",
    );
    const sandbox = await Sandbox.create();
    ctx.defer(() => sandbox[Symbol.asyncDispose]());
    const app = await createApp(sandbox);
    ctx.event("sandbox", "wrote app, runtime-lib and test-helper", sandbox.root);

    // scripts: pre and post hooks run by naming convention alone.
    const order = await runScript(sandbox, app, "build");
    ctx.event("npm", "npm run build", order.join(" → "));

    // dependencies versus devDependencies, and the project's install lifecycle.
    let start = performance.now();
    const full = await install(sandbox, app);
    ctx.metric("npm install, offline", Math.round(performance.now() - start), "ms");
    ctx.event("npm", "npm install: the project's own lifecycle", full.hooks.join(" → "));
    ctx.event("npm", "npm install", `node_modules: ${full.installed.join(", ")}`);
    start = performance.now();
    const production = await install(sandbox, app, { omitDev: true });
    ctx.metric("npm install --omit=dev, offline", Math.round(performance.now() - start), "ms");
    ctx.event("npm", "npm install --omit=dev", `node_modules: ${production.installed.join(", ")}`);
    const consumer = await installAsDependency(sandbox, app);
    ctx.event(
      "npm",
      "app packed and installed as a dependency",
      `node_modules: ${consumer.installed.join(", ")}`,
    );

    // The lockfile, not the range, decides what npm ci installs.
    await addDependencyByHand(sandbox, app);
    const ci = await sandbox.npm(app.dir, ["ci"]);
    ctx.event(
      "npm",
      "npm ci after adding a dependency to package.json only",
      ci.stderr.match(/`npm ci` can only.*?in sync/)?.[0] ?? `exit ${ci.code}`,
    );
    await ctx.sleep(300);

    // semver: which versions each range accepts, and what npm would pick.
    const versions = ["1.2.2", "1.2.3", "1.2.9", "1.3.0", "1.9.9", "1.3.0-beta.1", "2.0.0"];
    const ranges = ["^1.2.3", "~1.2.3", "1.x"];
    for (const version of versions) {
      ctx.event(
        "semver",
        version,
        ranges.map((r) => `${r} ${satisfies(version, r) ? "yes" : "no"}`).join(", "),
      );
    }
    const zeroVersions = ["0.0.3", "0.0.4", "0.2.9", "0.3.0"];
    for (const range of [...ranges, "^0.2.3", "^0.0.3"]) {
      ctx.event(
        "semver",
        range,
        `means ${expand(range)}; npm picks ${pick(range, [...versions, ...zeroVersions])}`,
      );
    }
    await ctx.sleep(300);

    // exports, type and engines.
    const exported = await exportsMap(sandbox);
    ctx.event("node", 'require("guarded/feature")', exported.feature.stdout.trim());
    ctx.event("node", 'require("guarded/lib/internal.js")', failure(exported.deep) ?? "loaded");
    ctx.event(
      "node",
      'require("open/lib/internal.js"), no exports map',
      exported.deepWithoutExports.stdout.trim(),
    );
    ctx.event(
      "node",
      'import vs require of "guarded/dual"',
      `${exported.dualImport.stdout.trim()} / ${exported.dualRequire.stdout.trim()}`,
    );
    const parsed = await sameFileTwoTypes(sandbox);
    ctx.event("node", 'main.js under "type": "module"', parsed.module.stdout.trim());
    ctx.event("node", 'the same main.js under "type": "commonjs"', parsed.commonjs.stdout.trim());
    const engine = await engines(sandbox);
    const warned = engine.lenient.stderr.includes("npm warn EBADENGINE");
    ctx.event(
      "npm",
      "install a package that wants Node >=99",
      `${warned ? "warning EBADENGINE" : "no warning"}, exit code ${engine.lenient.code}`,
    );
    ctx.event(
      "npm",
      "the same with --engine-strict",
      `${engine.strict.stderr.match(/npm error code \w+/)?.[0] ?? "no error"}, exit code ${engine.strict.code}, node_modules: ${engine.strictInstalled.join(", ") || "empty"}`,
    );
    ctx.event("node", 'require("future") on this Node', engine.run.stdout.trim());

    ctx.table([
      { field: "scripts", "read by": "npm", "seen here": order.join(" → ") },
      {
        field: "devDependencies",
        "read by": "npm",
        "seen here": `--omit=dev installs ${production.installed.join(", ")}`,
      },
      {
        field: "dependencies (ranges)",
        "read by": "npm",
        "seen here": `^1.2.3 → ${pick("^1.2.3", versions)}, ~1.2.3 → ${pick("~1.2.3", versions)}`,
      },
      {
        field: "exports",
        "read by": "node",
        "seen here": failure(exported.deep)?.match(/ERR_\w+/)?.[0] ?? "no error",
      },
      {
        field: "type",
        "read by": "node",
        "seen here": `${parsed.module.stdout.trim()} / ${parsed.commonjs.stdout.trim()}`,
      },
      {
        field: "engines",
        "read by": "npm",
        "seen here": "warns; refuses with engine-strict; node ignores it",
      },
    ]);
    ctx.claim(
      "npm runs prebuild, build, postbuild in that order",
      order.join() === "prebuild,build,postbuild",
    );
    ctx.claim(
      "--omit=dev leaves the devDependency out",
      full.installed.includes("test-helper") && !production.installed.includes("test-helper"),
    );
    ctx.claim(
      "a package installed as a dependency never brings its devDependencies",
      consumer.installed.includes("app") && !consumer.installed.includes("test-helper"),
    );
    ctx.claim("npm ci refuses a package.json that disagrees with the lockfile", ci.code !== 0);
    ctx.claim(
      "^1.2.3 takes minors and patches, ~1.2.3 only patches",
      pick("^1.2.3", versions) === "1.9.9" && pick("~1.2.3", versions) === "1.2.9",
    );
    ctx.claim(
      "below 1.0.0 the caret is stricter",
      !satisfies("0.3.0", "^0.2.3") && !satisfies("0.0.4", "^0.0.3"),
    );
    ctx.claim(
      "an exports map refuses deep imports",
      failure(exported.deep)?.includes("ERR_PACKAGE_PATH_NOT_EXPORTED") === true,
    );
    ctx.claim(
      '"type" decides how the same .js file runs',
      parsed.module.stdout.startsWith("ESM") && parsed.commonjs.stdout.startsWith("CommonJS"),
    );
    ctx.claim(
      "engines: npm warns by default and refuses with engine-strict",
      warned && engine.lenient.code === 0 && engine.strict.code !== 0,
    );
    ctx.claim("node itself ignores engines", engine.run.stdout.trim() === "ran anyway");
  },
});
