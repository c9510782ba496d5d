import { ScriptProcess } from "@playground/kit";
import type { WorkerJob } from "./worker.js";

const WORKER = new URL("./worker.ts", import.meta.url);

/** A line a worker printed: one JSON object per line on its stdout. */
export type WorkerMessage = { type: string } & Record<string, unknown>;

/**
 * Starts one contender for the lock as a real Node process (see worker.ts),
 * so a test can freeze it (pause), thaw it (resume) or crash it (kill) the
 * way an operating system would. It takes "go" and "release" on stdin.
 */
export function startWorker(name: string, job: WorkerJob): ScriptProcess<WorkerMessage> {
  return new ScriptProcess<WorkerMessage>(WORKER, [JSON.stringify(job)], name);
}
