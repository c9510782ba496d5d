import http from "node:http";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { get, type SlowServer } from "./slow-server.js";

// "Non-blocking I/O" means that while a request waits for the network, the
// one JavaScript thread is free to start the next one. We time one request
// to a server that takes `delayMs`, then `count` of them at once: if waiting
// held the thread, `count` requests would take `count` times as long.

export interface Concurrency {
  count: number;
  singleMs: number;
  allMs: number;
  /** `allMs / singleMs`: about 1 when the waits overlap, about `count` when they queue. */
  ratio: number;
  /** How many requests the server held at once; `count` means every wait overlapped. */
  maxInFlight: number;
}

/** Times one request to `server`, then `count` requests started together. */
export async function oneThenMany(server: SlowServer, count: number): Promise<Concurrency> {
  // We want to time the waiting, not the first-time costs: compiling the
  // HTTP code and opening `count` connections. So one warm-up round opens
  // them all, and a keep-alive agent hands them out again.
  const agent = new http.Agent({ keepAlive: true, maxSockets: count });
  try {
    const many = () => Promise.all(Array.from({ length: count }, () => get(server.url, agent)));
    await many();
    let start = performance.now();
    await get(server.url, agent);
    const singleMs = performance.now() - start;

    start = performance.now();
    await many();
    const allMs = performance.now() - start;
    return { count, singleMs, allMs, ratio: allMs / singleMs, maxInFlight: server.maxInFlight };
  } finally {
    agent.destroy();
  }
}

// The other side of one thread: while our JavaScript computes, nothing else
// runs. No timer fires, no response is read, no request is accepted.

/** Keeps the thread busy for `ms` of wall-clock time; returns how long it really took. */
export function blockFor(ms: number): number {
  const start = performance.now();
  while (performance.now() - start < ms) {
    // spin: the CPU work of a big JSON.parse, a sync crypto call, a regex gone wrong
  }
  return performance.now() - start;
}

export interface BlockedLoop {
  blockedMs: number;
  /** How long a 10 ms timer, set just before the block, really took. */
  timerMs: number;
  /** How long a request to a server answering after `server.delayMs` really took. */
  requestMs: number;
  /** The worst event-loop delay `monitorEventLoopDelay` saw. */
  maxDelayMs: number;
}

/** Starts a 10 ms timer and a request, blocks the thread for `ms`, and measures both. */
export async function measureBlockedLoop(server: SlowServer, ms: number): Promise<BlockedLoop> {
  // `monitorEventLoopDelay` samples the loop with a timer of its own every
  // `resolution` ms and records how late each sample fired. Its first tick
  // only sets a baseline, so we wait until it has recorded a sample.
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  while (histogram.count === 0) await sleep(10);

  const start = performance.now();
  const timer = sleep(10).then(() => performance.now() - start);
  const request = get(server.url).then(() => performance.now() - start);
  const blockedMs = blockFor(ms);
  const samplesBefore = histogram.count;
  const [timerMs, requestMs] = await Promise.all([timer, request]);

  // The sample that spans the block is taken on the first tick after it.
  while (histogram.count === samplesBefore) await sleep(10);
  histogram.disable();
  return { blockedMs, timerMs, requestMs, maxDelayMs: histogram.max / 1e6 };
}
