import { once } from "node:events";
import { Worker } from "node:worker_threads";

// Messages are copied, so workers cannot race on them. A SharedArrayBuffer
// is the exception: every thread that receives one sees the same bytes, and
// so every thread can race. `Atomics` is how we make a read-modify-write
// indivisible again.

export interface CountResult {
  expected: number;
  counted: number;
  lost: number;
}

/**
 * Starts `workers` threads that each add 1 to one shared Int32 `iterations`
 * times, with `Atomics.add` or with a plain read and write.
 */
export async function countTogether(options: {
  workers: number;
  iterations: number;
  atomic: boolean;
}): Promise<CountResult> {
  const { workers, iterations, atomic } = options;
  const shared = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  // The start gate: 0 until every worker is ready, then 1.
  const gate = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  const startGate = new Int32Array(gate);
  const script = new URL("./counter-worker.mjs", import.meta.url);
  const threads = Array.from(
    { length: workers },
    () => new Worker(script, { workerData: { shared, gate, iterations, atomic } }),
  );
  try {
    await Promise.all(threads.map((t) => once(t, "message"))); // "ready"
    const finished = threads.map((t) => once(t, "message"));
    Atomics.store(startGate, 0, 1);
    Atomics.notify(startGate, 0);
    await Promise.all(finished);
    const counted = Atomics.load(new Int32Array(shared), 0);
    const expected = workers * iterations;
    return { expected, counted, lost: expected - counted };
  } finally {
    await Promise.all(threads.map((t) => t.terminate()));
  }
}
