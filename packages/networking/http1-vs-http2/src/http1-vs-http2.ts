import { setMaxListeners } from "node:events";
import { Client, type Dispatcher, H2CClient, Pool } from "undici";

/** How a client reaches the server: the protocol and how many connections. */
export type Strategy =
  | { protocol: "HTTP/1.1"; connections: number; pipelining?: number }
  | { protocol: "HTTP/2" };

export const label = (s: Strategy) =>
  s.protocol === "HTTP/2" ? "HTTP/2 ×1" : `HTTP/1.1 ×${s.connections}`;

/** TLS options for `https` origins, e.g. `{ ca: cert }` for a self-signed server. */
export type Connect = { ca?: string; rejectUnauthorized?: boolean };

// HTTP/1.1 keeps a connection open between requests (keep-alive is the
// default since 1997), but a connection carries one exchange at a time:
// the next request waits until the whole previous response has arrived.
// Pipelining would let requests go out early, yet responses must still
// come back in order, so one slow answer holds up every answer behind it;
// browsers never turned it on, and undici leaves it at 1. The way round is
// more connections: browsers open up to six per origin, `Pool` does the same.
//
// HTTP/2 cuts every message into frames tagged with a stream id, so many
// exchanges interleave on one connection, each finishing when it is ready.
// One TCP connection, one TLS handshake, one congestion window, and no
// answer waits for another: multiplexing.
export function clientFor(origin: string, strategy: Strategy, connect: Connect = {}): Dispatcher {
  const tls = origin.startsWith("https:") ? { connect } : {};
  if (strategy.protocol === "HTTP/2") {
    // Browsers speak HTTP/2 only over TLS, where ALPN picks it; between
    // services it also runs in cleartext ("h2c", prior knowledge).
    return origin.startsWith("https:")
      ? new Client(origin, { ...tls, allowH2: true, pipelining: 100 })
      : new H2CClient(origin, { pipelining: 100 });
  }
  const { connections, pipelining = 1 } = strategy;
  return connections === 1
    ? new Client(origin, { ...tls, pipelining })
    : new Pool(origin, { ...tls, connections, pipelining });
}

/** One finished request: when it ended, relative to the start of the batch. */
export interface Done {
  path: string;
  body: string;
  endedMs: number;
}

/** Fires every path at once through `client` and waits for all the answers. */
export async function fetchAll(
  client: Dispatcher,
  paths: readonly string[],
  signal?: AbortSignal,
): Promise<{ wallMs: number; done: Done[] }> {
  // Each request listens on `signal`; a hundred at once is not a leak.
  if (signal) setMaxListeners(paths.length + 10, signal);
  const start = performance.now();
  const done: Done[] = [];
  await Promise.all(
    paths.map(async (path) => {
      const response = await client.request({ path, method: "GET", signal });
      const body = await response.body.text();
      done.push({ path, body, endedMs: performance.now() - start });
    }),
  );
  return { wallMs: performance.now() - start, done };
}

/** When the slow request ended, and when the fast ones behind it did. */
export interface HeadOfLine {
  slow: Done;
  fast: Done[];
  /** The last fast response, in ms from the start. */
  lastFastMs: number;
}

// Head-of-line blocking, made visible: one slow request goes first, then
// `fastCount` that the server answers at once. On one HTTP/1.1 connection
// they queue behind the slow one; on HTTP/2 they pass it.
export async function slowThenFast(
  client: Dispatcher,
  slowMs: number,
  fastCount: number,
  signal?: AbortSignal,
): Promise<HeadOfLine> {
  const paths = [`/slow?delay=${slowMs}`, ...resources(fastCount, 0)];
  const { done } = await fetchAll(client, paths, signal);
  const slow = done.find((d) => d.path.startsWith("/slow"))!;
  const fast = done.filter((d) => d !== slow);
  return { slow, fast, lastFastMs: Math.max(...fast.map((d) => d.endedMs)) };
}

/** `count` distinct resources, each of which takes the server `delayMs`. */
export const resources = (count: number, delayMs: number) =>
  Array.from({ length: count }, (_, i) => `/resource/${i}?delay=${delayMs}`);

// Now the comparison the question is about: the same page of `count`
// resources, each `delayMs` slow at the server, fetched three ways. On one
// HTTP/1.1 connection the waits add up; six connections divide them by six;
// on HTTP/2 they overlap, and the page takes about as long as one resource.
export async function loadPage(
  origin: string,
  strategy: Strategy,
  count: number,
  delayMs: number,
  { connect = {}, signal }: { connect?: Connect; signal?: AbortSignal } = {},
): Promise<number> {
  const client = clientFor(origin, strategy, connect);
  try {
    const { wallMs } = await fetchAll(client, resources(count, delayMs), signal);
    return wallMs;
  } finally {
    await client.destroy();
  }
}

/** Sends `count` requests one after another, each on the same client. */
export async function sequential(
  client: Dispatcher,
  count: number,
  headers: Record<string, string> = {},
): Promise<void> {
  for (let i = 0; i < count; i++) {
    const response = await client.request({ path: `/item/${i}`, method: "GET", headers });
    await response.body.text();
  }
}
