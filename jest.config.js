import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * One Jest run for the whole playground: every workspace package with a
 * `test/` folder is a project. Sources are TypeScript ES modules, compiled
 * by @swc/jest and run as native ESM (`--experimental-vm-modules`), so
 * ESM-only dependencies load as they are. See docs/ARCHITECTURE.md.
 */
const root = path.dirname(fileURLToPath(import.meta.url));

/** @returns {string[]} */
function packageDirs() {
  const dirs = ["packages/kit", "packages/cli"];
  for (const area of readdirSync(path.join(root, "packages"))) {
    const areaDir = path.join(root, "packages", area);
    if (["kit", "cli"].includes(area)) continue;
    for (const concept of readdirSync(areaDir)) {
      if (existsSync(path.join(areaDir, concept, "package.json")))
        dirs.push(`packages/${area}/${concept}`);
    }
  }
  return dirs.filter((dir) => existsSync(path.join(root, dir, "test")));
}

/** @param {string} dir */
function project(dir) {
  const pkg = JSON.parse(readFileSync(path.join(root, dir, "package.json"), "utf8"));
  return {
    displayName: pkg.name.replace("@playground/", ""),
    rootDir: path.join(root, dir),
    testEnvironment: "node",
    testMatch: ["<rootDir>/test/**/*.test.ts"],
    extensionsToTreatAsEsm: [".ts"],
    // NodeNext makes us write `./x.js` for `./x.ts`; Jest resolves the source.
    moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
    transform: {
      "^.+\\.ts$": [
        "@swc/jest",
        {
          jsc: {
            parser: { syntax: "typescript" },
            target: "es2022",
            transform: { useDefineForClassFields: true },
          },
          module: { type: "es6" },
        },
      ],
    },
    globalSetup: path.join(root, "packages/kit/src/jest/global-setup.mjs"),
    globalTeardown: path.join(root, "packages/kit/src/jest/global-teardown.mjs"),
  };
}

/** @type {import("jest").Config} */
const config = {
  projects: packageDirs().map(project),
  testTimeout: 120_000,
  // Servers are real processes: two workers keep a 2-core machine responsive.
  maxWorkers: 2,
};

export default config;
