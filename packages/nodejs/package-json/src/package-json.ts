import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Manifest, Sandbox } from "./sandbox.js";

// package.json is read by two programs. The package manager (npm, pnpm)
// reads `scripts`, the dependency fields and `engines` when it installs or
// runs something. Node itself reads `type`, `main` and `exports` every time
// it resolves an import. Each function below builds a throwaway project in
// a `Sandbox`, runs the real command and reports what happened.

/** A throwaway project: its directory, relative to the sandbox. */
export interface App {
  /** The project directory, relative to the sandbox. */
  dir: string;
}

/** A script that announces itself, so we can see which ran and in what order. */
const announce = (name: string) => `echo HOOK ${name}`;

// `scripts` maps names to shell commands. `npm run build` also runs
// `prebuild` before and `postbuild` after, by naming convention alone.
// `npm install` has its own lifecycle for the project being installed.
export const SCRIPTS = {
  prebuild: announce("prebuild"),
  build: announce("build"),
  postbuild: announce("postbuild"),
  preinstall: announce("preinstall"),
  install: announce("install"),
  postinstall: announce("postinstall"),
  prepare: announce("prepare"),
};

/** The `HOOK <name>` lines a run printed, in order. */
export function hooks(stdout: string): string[] {
  return [...stdout.matchAll(/^HOOK (\S+)$/gm)].map((m) => m[1]!);
}

/** `npm run <script>` in the app; returns the hooks in the order they ran. */
export async function runScript(sandbox: Sandbox, app: App, script: string): Promise<string[]> {
  const run = await sandbox.npm(app.dir, ["run", script]);
  if (run.code !== 0) throw new Error(`npm run ${script} failed: ${run.stderr}`);
  return hooks(run.stdout);
}

// `dependencies` are what the code needs when it runs; `devDependencies`
// are what we need to build and test it. Both install in a checkout, but
// a production install (`--omit=dev`) leaves the dev ones out, and a
// package installed as someone else's dependency never brings its own.

/** Writes two libraries and an app that needs one to run and one to test. */
export async function createApp(sandbox: Sandbox, dir = "app"): Promise<App> {
  await sandbox.writePackage(
    "src/runtime-lib",
    { name: "runtime-lib", version: "1.0.0", main: "index.js" },
    { "index.js": 'module.exports = "needed at run time";\n' },
  );
  await sandbox.writePackage(
    "src/test-helper",
    { name: "test-helper", version: "1.0.0", main: "index.js" },
    { "index.js": 'module.exports = "needed to test";\n' },
  );
  await sandbox.writePackage(dir, {
    name: "app",
    version: "1.0.0",
    main: "index.js",
    scripts: SCRIPTS,
    dependencies: { "runtime-lib": sandbox.spec("src/runtime-lib") },
    devDependencies: { "test-helper": sandbox.spec("src/test-helper") },
  });
  return { dir };
}

/** `npm install` in the app, optionally `--omit=dev`; returns what landed in node_modules and the hooks that ran. */
export async function install(sandbox: Sandbox, app: App, options: { omitDev?: boolean } = {}) {
  const run = await sandbox.npm(app.dir, ["install", ...(options.omitDev ? ["--omit=dev"] : [])]);
  if (run.code !== 0) throw new Error(`npm install failed: ${run.stderr}`);
  return { installed: await sandbox.installed(app.dir), hooks: hooks(run.stdout) };
}

/** Packs the app and installs it into a consumer project, as a registry user would. */
export async function installAsDependency(sandbox: Sandbox, app: App) {
  const spec = await sandbox.pack(app.dir);
  await sandbox.writePackage("consumer", {
    name: "consumer",
    version: "1.0.0",
    dependencies: { app: spec },
  });
  const run = await sandbox.npm("consumer", ["install"]);
  if (run.code !== 0) throw new Error(`npm install failed: ${run.stderr}`);
  return { installed: await sandbox.installed("consumer") };
}

// package-lock.json records the exact tree an install produced. `npm ci`
// installs exactly that tree, and refuses when package.json asks for
// something the lock does not have, instead of quietly resolving again.

/** Adds a dependency to the app's package.json by hand, without touching the lockfile. */
export async function addDependencyByHand(sandbox: Sandbox, app: App): Promise<void> {
  await sandbox.writePackage(
    "src/extra",
    { name: "extra", version: "1.0.0", main: "index.js" },
    { "index.js": "module.exports = 1;\n" },
  );
  const manifestPath = path.join(sandbox.root, app.dir, "package.json");
  const manifest = JSON.parse(await readFile(manifestPath, "utf8")) as Manifest & {
    dependencies: Record<string, string>;
  };
  await sandbox.writePackage(app.dir, {
    ...manifest,
    dependencies: { ...manifest.dependencies, extra: sandbox.spec("src/extra") },
  });
}
