import { type ChildProcess, fork } from "node:child_process";
import cluster from "node:cluster";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { threadId, Worker } from "node:worker_threads";

// Node had two ways to use more cores before worker threads, and both are
// processes: `child_process.fork` and `cluster` (which forks copies of the
// server that share its listening socket). A process has its own pid and
// its own memory. A worker thread is in our process: same pid, another
// `threadId`, and it can be handed memory that we both see.

const whoami = fileURLToPath(new URL("./whoami.cjs", import.meta.url));

export interface Identity {
  pid: number;
  threadId: number;
}

/** Starts a worker thread, asks it who it is, and stops it. */
export async function askWorkerThread(message: unknown = {}): Promise<Identity> {
  const worker = new Worker(whoami);
  try {
    await once(worker, "message"); // "ready"
    const reply = once(worker, "message");
    worker.postMessage(message);
    return (await reply)[0] as Identity;
  } finally {
    await worker.terminate();
  }
}

/** Forks a child process, asks it who it is, and stops it. */
export async function askChildProcess(message: unknown = {}): Promise<Identity> {
  // "advanced" serialization is the structured clone that threads use, so
  // whatever a child refuses, a thread would accept.
  const child = fork(whoami, { serialization: "advanced", stdio: "ignore" });
  try {
    await once(child, "message"); // "ready"
    const reply = once(child, "message");
    child.send(message as object);
    return (await reply)[0] as Identity;
  } finally {
    await stop(child);
  }
}

/** Forks a cluster worker, asks it who it is, and stops it. */
export async function askClusterWorker(): Promise<Identity> {
  cluster.setupPrimary({ exec: whoami, silent: true });
  const worker = cluster.fork();
  try {
    await once(worker, "message"); // "ready"
    const reply = once(worker, "message");
    worker.send({});
    return (await reply)[0] as Identity;
  } finally {
    await stop(worker.process);
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill();
  await exited;
}

/** This thread's identity. */
export function me(): Identity {
  return { pid: process.pid, threadId };
}
