import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** What happened to one request to an `async` route that rejects. */
export interface AsyncRouteOutcome {
  /** The express package's version. */
  version: string;
  /** False when the client gave up: the server never answered. */
  answered: boolean;
  status?: number;
  body?: { handledBy: string; message: string };
  waitedMs: number;
  /** How often the app's four-argument error handler ran. */
  errorHandlerCalls: number;
  /** Messages of the rejections nobody handled. */
  unhandled: string[];
}

const CHILD = fileURLToPath(new URL("./async-route.child.mjs", import.meta.url));

/**
 * Runs `async-route.child.mjs` with Express 5 (`express`) or Express 4
 * (`express4`) in its own process, and reports what the client saw.
 */
export function runAsyncRoute(
  which: "express" | "express4",
  clientTimeoutMs: number,
  signal?: AbortSignal,
): Promise<AsyncRouteOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, which, String(clientTimeoutMs)], {
      stdio: ["ignore", "pipe", "pipe"],
      ...(signal ? { signal } : {}),
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk;
    });
    child.stderr.on("data", (chunk: Buffer) => {
      err += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0)
        return reject(new Error(`the ${which} child exited with ${code}: ${err.trim()}`));
      resolve(JSON.parse(out) as AsyncRouteOutcome);
    });
  });
}
