import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Worker } from "node:worker_threads";
import { wallClock } from "./primes.mjs";

// To see the event loop stall we need something that waits on it: an
// HTTP server that answers every request at once. If it answers late,
// the only possible reason is that its thread was busy elsewhere.

/** An HTTP server on the main thread that answers `pong` to everything. */
export interface PingServer {
  port: number;
  close(): Promise<void>;
}

export async function startPingServer(): Promise<PingServer> {
  const server = http.createServer((_req, res) => res.end("pong"));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface Sample {
  sentAt: number;
  ms: number;
}

/**
 * Pings the server from another thread every `intervalMs` while `work` runs,
 * and returns the latency in ms of each ping sent during `work`.
 */
export async function pingWhile(
  port: number,
  work: () => unknown,
  intervalMs = 5,
): Promise<number[]> {
  const pinger = new Worker(new URL("./pinger.mjs", import.meta.url), {
    workerData: { port, intervalMs },
  });
  try {
    await once(pinger, "message"); // the first pong: connected and warm
    const from = wallClock();
    await work();
    const to = wallClock();
    const done = once(pinger, "message");
    pinger.postMessage("stop");
    const [{ samples }] = (await done) as [{ samples: Sample[] }];
    return samples.filter((s) => s.sentAt >= from && s.sentAt <= to).map((s) => s.ms);
  } finally {
    await pinger.terminate();
  }
}

/** The `p`th percentile (0–100) of `values`, nearest-rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error("percentile of no values: ping for longer");
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}
