// The outside client: a worker thread that pings the main thread's HTTP
// server every `intervalMs`, whether or not the last ping came back. It
// has its own event loop, so it keeps sending and keeps its clock while
// the main thread is stuck; a client on the main thread would stall with
// it and never notice the stall.
import http from "node:http";
import { parentPort, workerData } from "node:worker_threads";
import { wallClock } from "./primes.mjs";

if (!parentPort)
  throw new Error("pinger.mjs runs as a worker thread: start it with new Worker(...)");
const port = parentPort;

/** @type {{ port: number; intervalMs: number }} */
const { port: serverPort, intervalMs } = workerData;
const agent = new http.Agent({ keepAlive: true });
/** @type {{ sentAt: number; ms: number }[]} */
const samples = [];
let inFlight = 0;
let stopping = false;

function ping() {
  const sentAt = wallClock();
  inFlight++;
  const request = http.get({ host: "127.0.0.1", port: serverPort, path: "/ping", agent }, (res) => {
    res.resume();
    res.on("end", () => {
      samples.push({ sentAt, ms: wallClock() - sentAt });
      if (samples.length === 1) port.postMessage({ type: "warm" });
      settle();
    });
  });
  request.on("error", () => settle());
}

function settle() {
  inFlight--;
  finishIfIdle();
}

function finishIfIdle() {
  if (stopping && inFlight === 0) {
    agent.destroy();
    port.postMessage({ type: "done", samples });
  }
}

const timer = setInterval(ping, intervalMs);
ping();

port.on("message", (message) => {
  if (message !== "stop") return;
  stopping = true;
  clearInterval(timer);
  finishIfIdle();
});
