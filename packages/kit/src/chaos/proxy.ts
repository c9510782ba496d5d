import net from "node:net";

export type ProxyMode = "pass" | "cut" | "blackhole";

/** A reset travelling in a direction's queue: held by a blackhole like any byte. */
const RESET = Symbol("reset");
type Item = Buffer | null | typeof RESET;

/**
 * One direction of one proxied connection. Chunks wait in `queue` until
 * their delivery time (latency) or until the partition heals (blackhole);
 * `end` waits behind them, so a half-close never overtakes data.
 */
class Direction {
  readonly #queue: { at: number; chunk: Item }[] = [];
  #timer: NodeJS.Timeout | undefined;
  bytes = 0;

  constructor(
    private readonly to: net.Socket,
    private readonly proxy: ChaosProxy,
    private readonly onReset: () => void,
  ) {}

  push(chunk: Item): void {
    const last = this.#queue.at(-1)?.at ?? 0;
    // performance.now(), not Date.now(): whole milliseconds would let a chunk
    // out up to 1 ms early, and a delayed link must never be faster than asked.
    this.#queue.push({ at: Math.max(performance.now() + this.proxy.latencyMs, last), chunk });
    this.flush();
  }

  flush(): void {
    clearTimeout(this.#timer);
    if (this.proxy.mode === "blackhole") return;
    while (this.#queue.length > 0) {
      const next = this.#queue[0]!;
      const wait = next.at - performance.now(); // a timer that fired early comes back here
      if (wait > 0) {
        this.#timer = setTimeout(() => this.flush(), wait);
        return;
      }
      this.#queue.shift();
      if (this.to.destroyed) continue;
      if (next.chunk === RESET) {
        this.onReset();
        return;
      }
      if (next.chunk === null) this.to.end();
      else {
        this.bytes += next.chunk.length;
        this.to.write(next.chunk);
      }
    }
  }

  clear(): void {
    clearTimeout(this.#timer);
    this.#queue.length = 0;
  }

  /** Chunks, ends and resets still waiting to be delivered. */
  get held(): number {
    return this.#queue.length;
  }
}

/**
 * Ends one side of a link as abruptly as it can. A reset (RST) is what a
 * crashed peer or a firewall reject looks like, but libuv refuses to reset a
 * socket whose write side is being shut down: Node's `resetAndDestroy()` then
 * emits EINVAL and drops the handle without closing it, so the descriptor
 * leaks and keeps the event loop alive (a demo that never exits). A socket
 * we have ended has sent, or is sending, its FIN: closing it is all that is
 * left to do.
 */
function abort(socket: net.Socket): void {
  if (socket.destroyed) return;
  if (socket.writableEnded) socket.destroy();
  else socket.resetAndDestroy();
}

/**
 * A TCP proxy that can break the path to a server the way networks break:
 *
 * - `cut()` resets every connection and every new one (a crashed host, a firewall reject);
 * - `blackhole()` accepts and then says nothing, in either direction (a partition:
 *   bytes are held, as TCP would keep retransmitting them, and delivered on `restore()`);
 * - `latency(ms)` delays every chunk in both directions, keeping order.
 *
 * It behaves the same on both backends, because it only ever sees TCP.
 */
export class ChaosProxy {
  mode: ProxyMode = "pass";
  latencyMs = 0;
  readonly #server: net.Server;
  readonly #links = new Set<{
    client: net.Socket;
    upstream: net.Socket;
    up: Direction;
    down: Direction;
  }>();
  #accepted = 0;
  #bytesUp = 0;
  #bytesDown = 0;

  private constructor(
    readonly target: { host: string; port: number },
    readonly port: number,
    server: net.Server,
  ) {
    this.#server = server;
    server.on("connection", (client) => this.#accept(client));
  }

  /** Starts a proxy on a free port of 127.0.0.1 in front of `target`. */
  static async start(target: { host: string; port: number }): Promise<ChaosProxy> {
    const server = net.createServer({ noDelay: true, allowHalfOpen: true });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", resolve);
    });
    return new ChaosProxy(target, (server.address() as net.AddressInfo).port, server);
  }

  readonly host = "127.0.0.1";

  /** `url` with its host and port replaced by the proxy's, e.g. a handle's URL. */
  urlFor(url: string): string {
    const parsed = new URL(url);
    parsed.hostname = this.host;
    parsed.port = String(this.port);
    return parsed.toString();
  }

  /**
   * Connections accepted and still open, bytes delivered each way, and
   * `held`: what waits in the proxy for its delivery time or for
   * `restore()` (each chunk, half-close or reset counts once).
   */
  get stats() {
    let up = this.#bytesUp;
    let down = this.#bytesDown;
    let held = 0;
    for (const link of this.#links) {
      up += link.up.bytes;
      down += link.down.bytes;
      held += link.up.held + link.down.held;
    }
    return {
      accepted: this.#accepted,
      open: this.#links.size,
      bytesUp: up,
      bytesDown: down,
      held,
    };
  }

  cut(): void {
    this.mode = "cut";
    for (const link of [...this.#links]) this.#reset(link);
  }

  blackhole(): void {
    this.mode = "blackhole";
  }

  latency(ms: number): void {
    this.latencyMs = ms;
  }

  /** Heals everything: pass-through, no latency, held bytes delivered. */
  restore(): void {
    this.mode = "pass";
    this.latencyMs = 0;
    for (const link of this.#links) {
      link.up.flush();
      link.down.flush();
    }
  }

  async close(): Promise<void> {
    for (const link of [...this.#links]) this.#reset(link);
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #accept(client: net.Socket): void {
    this.#accepted++;
    if (this.mode === "cut") {
      client.resetAndDestroy();
      return;
    }
    client.setNoDelay(true);
    const upstream = net.connect({
      host: this.target.host,
      port: this.target.port,
      noDelay: true,
      allowHalfOpen: true,
    });
    const reset = () => this.#reset(link);
    const link = {
      client,
      upstream,
      up: new Direction(upstream, this, reset),
      down: new Direction(client, this, reset),
    };
    this.#links.add(link);
    client.on("data", (chunk) => link.up.push(chunk));
    upstream.on("data", (chunk) => link.down.push(chunk));
    client.on("end", () => link.up.push(null));
    upstream.on("end", () => link.down.push(null));
    // A reset on one side travels to the other like any byte: after the
    // bytes ahead of it, and not at all while the path is blackholed. A
    // clean close waits for the other direction to drain its queue.
    const closed = () => {
      if (client.destroyed && upstream.destroyed) this.#reset(link);
    };
    client.on("error", () => link.up.push(RESET)).on("close", closed);
    upstream.on("error", () => link.down.push(RESET)).on("close", closed);
  }

  #reset(link: { client: net.Socket; upstream: net.Socket; up: Direction; down: Direction }): void {
    if (!this.#links.delete(link)) return;
    this.#bytesUp += link.up.bytes;
    this.#bytesDown += link.down.bytes;
    link.up.clear();
    link.down.clear();
    abort(link.client);
    abort(link.upstream);
  }
}
