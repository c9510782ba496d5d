// One of several threads adding 1 to the same shared counter, `iterations`
// times. `counter` views a SharedArrayBuffer: the very same memory the
// main thread and every other worker see, not a copy.
import { parentPort, workerData } from "node:worker_threads";

/** @type {{ shared: SharedArrayBuffer; gate: SharedArrayBuffer; iterations: number; atomic: boolean }} */
const { shared, gate, iterations, atomic } = workerData;
const counter = new Int32Array(shared);
const startGate = new Int32Array(gate);

// We say we are ready, then sleep on the start gate until it turns 1, so
// that all workers begin together, which is when they collide.
parentPort?.postMessage("ready");
Atomics.wait(startGate, 0, 0);

let noise = 0;
for (let i = 0; i < iterations; i++) {
  if (atomic) {
    noise = busyWork(noise);
    // One indivisible read-add-write: no other thread can come in between.
    Atomics.add(counter, 0, 1);
  } else {
    // Read, think a little, write back. Any thread that writes between our
    // read and our write has its increment overwritten: a lost update.
    const seen = counter[0];
    noise = busyWork(noise);
    counter[0] = seen + 1;
  }
}
parentPort?.postMessage(noise);

/** @param {number} x */
function busyWork(x) {
  for (let k = 0; k < 300; k++) x = (x * 31 + k) | 0;
  return x;
}
