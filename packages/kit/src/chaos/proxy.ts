import net from "node:net";

export type ProxyMode = "pass" | "cut" | "blackhole";

/**
 * One direction of one proxied connection. Chunks wait in `queue` until
 * their delivery time (latency) or until the partition heals (blackhole);
 * `end` waits behind them, so a half-close never overtakes data.
 */
/** A reset travelling in a direction's queue: held by a blackhole like any byte. */
const RESET = Symbol("reset");
type Item = Buffer | null | typeof RESET;

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
    this.#queue.push({ at: Math.max(Date.now() + this.proxy.latencyMs, last), chunk });
    this.flush();
  }

  flush(): void {
    clearTimeout(this.#timer);
    if (this.proxy.mode === "blackhole") return;
    while (this.#queue.length > 0) {
      const next = this.#queue[0]!;
      const wait = next.at - Date.now();
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

  get stats() {
    let up = this.#bytesUp;
    let down = this.#bytesDown;
    for (const link of this.#links) {
      up += link.up.bytes;
      down += link.down.bytes;
    }
    return { accepted: this.#accepted, open: this.#links.size, bytesUp: up, bytesDown: down };
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
    if (!link.client.destroyed) link.client.resetAndDestroy();
    if (!link.upstream.destroyed) link.upstream.resetAndDestroy();
  }
}
