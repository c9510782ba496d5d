import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

/** What a command printed and how it ended. */
export interface CommandRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A package.json, as far as these examples care. */
export type Manifest = Record<string, unknown> & { name: string; version: string };

/**
 * A throwaway directory with its own npm cache and an empty user config, so
 * that real npm commands run here offline and ignore whatever the machine's
 * ~/.npmrc or the calling package manager's environment say.
 */
export class Sandbox implements AsyncDisposable {
  private constructor(readonly root: string) {}

  static async create(): Promise<Sandbox> {
    const root = await mkdtemp(path.join(tmpdir(), "package-json-"));
    await writeFile(path.join(root, ".npmrc-empty"), "");
    return new Sandbox(root);
  }

  /** Writes `dir/package.json` and any other `files`, and returns the directory. */
  async writePackage(
    dir: string,
    manifest: Manifest,
    files: Record<string, string> = {},
  ): Promise<string> {
    const at = path.join(this.root, dir);
    await mkdir(at, { recursive: true });
    await writeFile(path.join(at, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    for (const [name, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(at, name)), { recursive: true });
      await writeFile(path.join(at, name), text);
    }
    return at;
  }

  /** Runs `npm <args…>` in `dir`, offline, with this sandbox's cache and config. */
  npm(dir: string, args: readonly string[]): Promise<CommandRun> {
    return run("npm", [...args], path.join(this.root, dir), this.#env());
  }

  /** Runs this Node on `args` in `dir`. */
  node(dir: string, args: readonly string[]): Promise<CommandRun> {
    return run(process.execPath, [...args], path.join(this.root, dir), this.#env());
  }

  /**
   * A `file:` spec for the package in `dir`. npm links such a directory into
   * node_modules instead of copying it; the install rules are the same as
   * for a registry package, without a registry.
   */
  spec(dir: string): string {
    return `file:${path.join(this.root, dir)}`;
  }

  /** `npm pack`s `dir` into `tarballs/`, as a registry would store it, and returns a `file:` spec. */
  async pack(dir: string): Promise<string> {
    const out = path.join(this.root, "tarballs");
    await mkdir(out, { recursive: true });
    const packed = await this.npm(dir, [
      "pack",
      "--pack-destination",
      out,
      "--json",
      "--ignore-scripts",
    ]);
    if (packed.code !== 0) throw new Error(`npm pack ${dir} failed: ${packed.stderr}`);
    const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
    return `file:${path.join(out, filename)}`;
  }

  /** The names of the packages installed at the top of `dir/node_modules`. */
  async installed(dir: string): Promise<string[]> {
    const entries = await readdir(path.join(this.root, dir, "node_modules")).catch(() => []);
    return entries.filter((name) => !name.startsWith(".")).sort();
  }

  #env(): NodeJS.ProcessEnv {
    // `pnpm test` and `npm run` export dozens of npm_* variables; any of
    // them would reconfigure the npm we start, so none goes through.
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) {
      if (!/^npm_/i.test(key) && key !== "NODE_OPTIONS") env[key] = value;
    }
    return {
      ...env,
      npm_config_userconfig: path.join(this.root, ".npmrc-empty"),
      npm_config_cache: path.join(this.root, ".npm-cache"),
      npm_config_offline: "true",
      npm_config_audit: "false",
      npm_config_fund: "false",
      npm_config_update_notifier: "false",
      npm_config_ignore_scripts: "false",
      npm_config_engine_strict: "false",
      npm_config_progress: "false",
    };
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
  }
}

function run(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<CommandRun> {
  const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
