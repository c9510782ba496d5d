// A pool worker. It runs on its own thread with its own event loop and
// its own heap; all it shares with the main thread is the process. It
// answers every message with exactly one message, which is all the pool
// in `worker-threads.ts` needs to know about it.
import { parentPort, threadId } from "node:worker_threads";
import { countPrimes, wallClock } from "./primes.mjs";

if (!parentPort)
  throw new Error("prime-worker.mjs runs as a worker thread: start it with new Worker(...)");

// We stamp the busy interval with a clock that every thread of the
// process shares, so the main thread can tell whether two workers were
// busy at the same time.
parentPort.on("message", (/** @type {{ limit: number }} */ task) => {
  const startedAt = wallClock();
  const primes = countPrimes(task.limit);
  const endedAt = wallClock();
  parentPort?.postMessage({ primes, startedAt, endedAt, threadId });
});
