import http from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { ChaosProxy } from "@playground/kit";
import { Emitter } from "./emitter.js";
import type { FeedEvent } from "./event-log.js";
import { FeedClient, now } from "./feed-client.js";
import type { LiveServer } from "./websocket.js";

/** The three ways a browser-era client can learn of server events. */
export type Transport = "websocket" | "long-polling" | "short-polling";

/** What it cost to deliver `count` events one way, measured on the wire. */
export interface Delivery {
  transport: Transport;
  delivered: number;
  inOrder: boolean;
  /** HTTP requests the server received (a WebSocket handshake counts as one). */
  requests: number;
  /** Bytes through the proxy in front of the server, both directions. */
  bytes: number;
  /** Publish-to-receipt latency of each event, in ms. */
  latencies: number[];
}

interface Subscriber {
  readonly received: { event: FeedEvent; receivedAt: number }[];
  /** Resolves once `count` events have arrived. */
  until(count: number): Promise<void>;
  close(): Promise<void>;
}

// WebSocket: one handshake, then the server writes a frame per event.
async function subscribeWebSocket(baseUrl: string): Promise<Subscriber> {
  const client = await FeedClient.connect(`${baseUrl.replace("http", "ws")}/ws`);
  return {
    get received() {
      return client.received.flatMap(({ message, receivedAt }) =>
        message.type === "event" ? [{ event: message, receivedAt }] : [],
      );
    },
    until: (count) => client.until((c) => c.events.length >= count),
    close: () => client.close(),
  };
}

function getJson<T>(url: string, agent: http.Agent, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent, signal }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          body += chunk;
        });
        res.on("end", () => resolve(JSON.parse(body) as T));
        res.on("error", reject);
      })
      .on("error", reject);
  });
}

// Polling: the client asks "anything after `after`?" over a kept-alive
// connection. Long-polling asks again as soon as it has an answer and the
// server holds each request until there is news; short-polling asks every
// `pollMs` and gets an answer at once, often an empty one.
function subscribePolling(
  baseUrl: string,
  after: number,
  long: boolean,
  pollMs: number,
): Subscriber {
  const received: Subscriber["received"] = [];
  const arrivals = new Emitter<{ arrived: number }>();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const stop = new AbortController();
  const loop = (async () => {
    while (!stop.signal.aborted) {
      const url = `${baseUrl}/events?after=${after}${long ? "&wait=1" : ""}`;
      const events = await getJson<FeedEvent[]>(url, agent, stop.signal);
      const receivedAt = now();
      for (const event of events) received.push({ event, receivedAt });
      arrivals.emit("arrived", received.length);
      after = events.at(-1)?.seq ?? after;
      if (!long) await sleep(pollMs, undefined, { signal: stop.signal });
    }
  })().catch(() => {});
  return {
    received,
    async until(count) {
      if (received.length < count) await arrivals.next("arrived", (n) => n >= count);
    },
    async close() {
      stop.abort();
      await loop;
      agent.destroy();
    },
  };
}

/**
 * Publishes `count` events on `server`, `intervalMs` apart, to one client
 * of the given transport connected through a byte-counting proxy, and
 * measures what the delivery cost.
 */
export async function measureDelivery(
  server: LiveServer,
  transport: Transport,
  {
    count = 100,
    intervalMs = 10,
    pollMs = 50,
    pause = (ms: number) => sleep(ms),
  }: {
    count?: number;
    intervalMs?: number;
    pollMs?: number;
    pause?: (ms: number) => Promise<unknown>;
  } = {},
): Promise<Delivery> {
  await using proxy = await ChaosProxy.start({ host: "127.0.0.1", port: server.port });
  const baseUrl = `http://127.0.0.1:${proxy.port}`;
  const requestsBefore = server.requests;
  const firstSeq = server.log.lastSeq;
  const subscriber =
    transport === "websocket"
      ? await subscribeWebSocket(baseUrl)
      : subscribePolling(baseUrl, firstSeq, transport === "long-polling", pollMs);
  try {
    const texts = Array.from({ length: count }, (_, i) => `${transport} tick ${i + 1}`);
    for (const text of texts) {
      await server.publish(text);
      await pause(intervalMs);
    }
    await subscriber.until(count);
    const { bytesUp, bytesDown } = proxy.stats;
    const got = subscriber.received.map((r) => r.event.text);
    return {
      transport,
      delivered: got.length,
      inOrder: got.join("\n") === texts.join("\n"),
      requests: server.requests - requestsBefore,
      bytes: bytesUp + bytesDown,
      latencies: subscriber.received.map((r) => r.receivedAt - r.event.at),
    };
  } finally {
    await subscriber.close();
  }
}

/** The value below which `share` of the sorted values fall. */
export function percentile(values: number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))] ?? Number.NaN;
}
