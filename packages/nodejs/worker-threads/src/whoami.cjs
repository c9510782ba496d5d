// Reports who runs it. The same file runs as a worker thread, as a forked
// child process and as a cluster worker, so the only difference between the
// three answers is how each was started.
const { isMainThread, parentPort, threadId } = require("node:worker_threads");

/** @param {{ sab?: SharedArrayBuffer }} message */
function handle(message) {
  if (message?.sab) new Int32Array(message.sab)[0] = 42; // write into memory we were handed
  return { pid: process.pid, threadId, isMainThread };
}

// We say "ready" first: a process that receives a message before it has a
// listener drops it, and loaders such as tsx delay our first line.
if (parentPort) {
  const port = parentPort;
  port.on("message", (message) => port.postMessage(handle(message)));
  port.postMessage("ready");
} else {
  process.on("message", (message) => process.send?.(handle(message)));
  process.send?.("ready");
}
