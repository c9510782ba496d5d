import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** Where the example modules live: plain .cjs and .mjs files, run as they are. */
export const FIXTURES = fileURLToPath(new URL("../fixtures/", import.meta.url));

/** What a child `node` printed and how it ended. */
export interface NodeRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node <args…>` in a fresh process with this Node binary, so that what
 * we observe is Node's module loader and not Jest's or tsx's.
 */
export function runNode(args: readonly string[], cwd = FIXTURES): Promise<NodeRun> {
  const { NODE_OPTIONS: _ignored, ...env } = process.env;
  const child = spawn(process.execPath, [...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs a fixture that prints one JSON line, and returns that line parsed. */
export async function runFixture<T>(file: string, ...args: string[]): Promise<T> {
  const run = await runNode([file, ...args]);
  if (run.code !== 0) {
    throw new Error(`node ${file} exited with ${run.code}: ${run.stderr.trim()}`);
  }
  return JSON.parse(run.stdout.trim().split("\n").at(-1)!) as T;
}
