import { once } from "node:events";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Redis } from "ioredis";
import { ChaosProxy, poll, type ServiceHandle, services, settlesWithin } from "../src/index.js";

/** Polls `check` until it holds, for state only a query can reveal. */
async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline)
      throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * TCP sockets this process holds open, closing ones included. Each keeps the
 * event loop alive, so one the proxy forgets to close keeps a demo running.
 */
const openSockets = () =>
  process.getActiveResourcesInfo().filter((resource) => resource === "TCPSocketWrap").length;

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * A TCP echo server on a free port. It half-closes when the client does, so
 * a client that ends its side gets every byte back and then an end.
 */
class EchoServer {
  readonly #sockets = new Set<net.Socket>();
  readonly #server = net.createServer({ allowHalfOpen: true }, (socket) => {
    this.#sockets.add(socket);
    socket.on("close", () => this.#sockets.delete(socket));
    socket.on("error", () => {});
    socket.once("data", () => this.#firstData?.());
    socket.pipe(socket);
  });
  #firstData: (() => void) | undefined;

  async listen(): Promise<number> {
    this.#server.listen(0, "127.0.0.1");
    await once(this.#server, "listening");
    return (this.#server.address() as net.AddressInfo).port;
  }

  /** Resolves when the next connection delivers its first bytes to the server. */
  nextData(): Promise<void> {
    return new Promise((resolve) => {
      this.#firstData = resolve;
    });
  }

  /** Resets every connection from the server's side, as a crashing server would. */
  resetAll(): void {
    for (const socket of this.#sockets) socket.resetAndDestroy();
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

/** A raw client of the proxy that records what it sees. */
class Client {
  readonly socket: net.Socket;
  received = "";
  readonly closed: Promise<{ error: NodeJS.ErrnoException | undefined }>;

  constructor(port: number) {
    this.socket = net.connect({ host: "127.0.0.1", port, allowHalfOpen: true });
    this.socket.setEncoding("utf8");
    this.socket.on("data", (chunk: string) => {
      this.received += chunk;
    });
    let error: NodeJS.ErrnoException | undefined;
    this.socket.on("error", (err) => {
      error = err;
    });
    this.closed = new Promise((resolve) => this.socket.on("close", () => resolve({ error })));
  }

  /** Resolves once the connection is up, or is already over (a reset can come first). */
  async connected(): Promise<this> {
    if (this.socket.connecting) {
      await Promise.race([once(this.socket, "connect").catch(() => {}), this.closed]);
    }
    return this;
  }

  /** Sends `text` and resolves when the echo of all of it has come back. */
  async echo(text: string): Promise<void> {
    const expected = this.received.length + text.length;
    this.socket.write(text);
    while (this.received.length < expected) await once(this.socket, "data");
  }

  /** Resolves when `text` has been received, or rejects when the socket closes first. */
  async receive(text: string): Promise<void> {
    while (!this.received.includes(text)) {
      const closed = this.closed.then(({ error }) => {
        throw error ?? new Error("closed");
      });
      closed.catch(() => {});
      await Promise.race([once(this.socket, "data"), closed]);
    }
  }

  destroy(): void {
    this.socket.destroy();
  }
}

describe("a chaos proxy in front of a dedicated redis", () => {
  let redis: ServiceHandle | undefined;
  const proxies: ChaosProxy[] = [];
  const clients: Redis[] = [];

  beforeAll(async () => {
    redis = await services.redis({ dedicated: true });
  });
  afterAll(async () => {
    for (const client of clients) client.disconnect();
    for (const proxy of proxies) await proxy.close();
    await redis?.[Symbol.asyncDispose]();
  });

  async function proxied(): Promise<{ proxy: ChaosProxy; client: Redis }> {
    const proxy = await ChaosProxy.start({ host: redis!.host, port: redis!.port });
    proxies.push(proxy);
    const client = new Redis(proxy.urlFor(redis!.url), {
      retryStrategy: () => null,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      lazyConnect: true,
    });
    client.on("error", () => {});
    clients.push(client);
    await client.connect();
    return { proxy, client };
  }

  it("when nothing is broken, then commands pass through to redis", async () => {
    // Arrange
    const { client } = await proxied();
    const direct = new Redis(redis!.url);
    clients.push(direct);
    // Act
    await client.set("chaos:pass", "through");
    // Assert
    expect(await client.ping()).toBe("PONG");
    expect(await direct.get("chaos:pass")).toBe("through");
  });

  it("when the proxy cuts, then the open connection is reset", async () => {
    // Arrange
    const { proxy, client } = await proxied();
    await client.ping();
    const errors: NodeJS.ErrnoException[] = [];
    client.on("error", (err: NodeJS.ErrnoException) => errors.push(err));
    const closed = new Promise((resolve) => client.once("close", resolve));
    // Act
    proxy.cut();
    // Assert
    await closed;
    expect(errors.map((err) => err.code)).toEqual(["ECONNRESET"]);
    await expect(client.ping()).rejects.toThrow();
  });

  it("when the proxy blackholes, then a command hangs, and restore() delivers it so it completes", async () => {
    // Arrange
    const { proxy, client } = await proxied();
    const normal = performance.now();
    await client.ping();
    const clientTimeout = Math.min(Math.max(20 * (performance.now() - normal), 300), 2000);
    // Act
    proxy.blackhole();
    const ping = client.ping();
    const answeredWhileBlackholed = await settlesWithin(ping, clientTimeout);
    proxy.restore();
    // Assert
    expect(answeredWhileBlackholed).toBe(false);
    expect(await ping).toBe("PONG");
  });
});

describe("a chaos proxy in front of an echo server", () => {
  const echo = new EchoServer();
  let echoPort = 0;
  const proxies: ChaosProxy[] = [];
  const clients: Client[] = [];

  beforeAll(async () => {
    echoPort = await echo.listen();
  });
  afterAll(async () => {
    for (const client of clients) client.destroy();
    for (const proxy of proxies) await proxy.close();
    await echo.close();
  });

  async function startProxy(): Promise<ChaosProxy> {
    const proxy = await ChaosProxy.start({ host: "127.0.0.1", port: echoPort });
    proxies.push(proxy);
    return proxy;
  }

  function connect(proxy: ChaosProxy): Promise<Client> {
    const client = new Client(proxy.port);
    clients.push(client);
    return client.connected();
  }

  it("when bytes pass through, then they come back unchanged", async () => {
    // Arrange
    const proxy = await startProxy();
    const client = await connect(proxy);
    // Act
    await client.echo("hello, proxy\n");
    // Assert
    expect(client.received).toBe("hello, proxy\n");
  });

  it("when the proxy cuts, then an open connection sees a reset and a new one is reset too", async () => {
    // Arrange
    const proxy = await startProxy();
    const open = await connect(proxy);
    await open.echo("before the cut\n");
    // Act
    proxy.cut();
    const late = await connect(proxy);
    // Assert
    expect((await open.closed).error?.code).toBe("ECONNRESET");
    expect((await late.closed).error?.code).toBe("ECONNRESET");
  });

  it("when the proxy is restored after a cut, then new connections pass again", async () => {
    // Arrange
    const proxy = await startProxy();
    proxy.cut();
    const refused = await connect(proxy);
    await refused.closed;
    // Act
    proxy.restore();
    const client = await connect(proxy);
    await client.echo("healed\n");
    // Assert
    expect(client.received).toBe("healed\n");
  });

  it("when the proxy blackholes, then a new connection is accepted but hears nothing until restore()", async () => {
    // Arrange
    const proxy = await startProxy();
    proxy.blackhole();
    // Act
    const client = await connect(proxy);
    const reply = client.receive("anyone there?\n");
    reply.catch(() => {});
    client.socket.write("anyone there?\n");
    const answeredWhileBlackholed = await settlesWithin(reply, 500);
    proxy.restore();
    // Assert
    expect(answeredWhileBlackholed).toBe(false);
    await reply;
    expect(client.received).toBe("anyone there?\n");
  });

  it("when the server resets a connection during a blackhole, then the client hears nothing of it", async () => {
    // Arrange
    const proxy = await startProxy();
    const client = await connect(proxy);
    await client.echo("before the partition\n");
    proxy.blackhole();
    // Act
    echo.resetAll();
    const heardWhileBlackholed = await settlesWithin(client.closed, 500);
    // Assert
    expect(heardWhileBlackholed).toBe(false);
  });

  // Healing a partition delivers the held half-close: the proxy ends its
  // socket to the server, and a cut() or close() in the same turn of the
  // event loop then finds that socket still shutting down, which a reset
  // cannot handle. What must not happen then: a throw, a close() that never
  // resolves, or a socket left open that keeps the process from exiting.
  it.each(["cut", "close"] as const)(
    "when a client half-closes during a blackhole and restore() is followed at once by %s(), then it does not throw, close() resolves and no socket is left open",
    async (breakWith) => {
      // Arrange
      const proxy = await startProxy();
      const socketsBefore = openSockets();
      const client = await connect(proxy);
      await client.echo("before the partition\n");
      proxy.blackhole();
      client.socket.end();
      await until("the proxy holding the half-close", () => proxy.stats.held === 1);
      // Act
      let thrown: unknown;
      try {
        proxy.restore();
        if (breakWith === "cut") proxy.cut();
      } catch (err) {
        thrown = err;
      }
      const closed = await settlesWithin(proxy.close(), 5000);
      const clientClosed = await client.closed;
      const socketsLeft = await poll(() => openSockets() <= socketsBefore, { timeoutMs: 2000 });
      // Assert
      expect(thrown).toBeUndefined();
      expect(closed).toBe(true);
      expect(clientClosed.error?.code).toBe("ECONNRESET");
      expect({ socketsLeft, open: proxy.stats.open }).toEqual({ socketsLeft: true, open: 0 });
    },
  );

  it("when latency is added, then a round trip takes many times longer than without it", async () => {
    // Arrange
    const proxy = await startProxy();
    const client = await connect(proxy);
    const roundTrips = async (n: number) => {
      const times: number[] = [];
      for (let i = 0; i < n; i++) {
        const started = performance.now();
        await client.echo(`ping ${i}\n`);
        times.push(performance.now() - started);
      }
      return median(times);
    };
    const without = await roundTrips(9);
    // Act
    proxy.latency(50);
    const withLatency = await roundTrips(5);
    // Assert
    expect(withLatency / without).toBeGreaterThan(5);
  });

  it("when latency is added, then no round trip is ever shorter than the delay both ways", async () => {
    // Arrange
    const proxy = await startProxy();
    const client = await connect(proxy);
    proxy.latency(10);
    // Act
    const times: number[] = [];
    for (let i = 0; i < 30; i++) {
      const started = performance.now();
      await client.echo(`ping ${i}\n`);
      times.push(performance.now() - started);
    }
    // Assert: a chunk may leave late on a busy machine, never early.
    expect(Math.min(...times)).toBeGreaterThanOrEqual(20);
  });

  it("when 1,000 numbered lines pass under latency, then they come back complete and in order", async () => {
    // Arrange
    const proxy = await startProxy();
    proxy.latency(5);
    const client = await connect(proxy);
    const lines = Array.from({ length: 1000 }, (_, i) => `line ${i}\n`);
    // Act
    for (const [i, line] of lines.entries()) {
      client.socket.write(line);
      // Let the event loop turn now and then, so the lines travel as many chunks.
      if (i % 50 === 49) await new Promise((resolve) => setImmediate(resolve));
    }
    client.socket.end();
    await client.closed;
    // Assert
    expect(client.received).toBe(lines.join(""));
  });

  it("when latency drops while bytes are in flight, then later bytes do not overtake earlier ones", async () => {
    // Arrange
    const proxy = await startProxy();
    proxy.latency(200);
    const client = await connect(proxy);
    const first = Array.from({ length: 500 }, (_, i) => `line ${i}\n`).join("");
    const second = Array.from({ length: 500 }, (_, i) => `line ${500 + i}\n`).join("");
    const reachedEcho = echo.nextData();
    // Act: the first half reaches the echo server and its echo waits in the
    // proxy; only then does the latency drop and the second half follow.
    client.socket.write(first);
    await reachedEcho;
    proxy.latency(0);
    client.socket.end(second);
    await client.closed;
    // Assert
    expect(client.received).toBe(first + second);
  });

  it("when connections come and go, then stats count them and their bytes both ways", async () => {
    // Arrange
    const proxy = await startProxy();
    const payloads = ["a".repeat(10), "b".repeat(200), "c".repeat(3000)];
    const total = payloads.reduce((sum, p) => sum + p.length, 0);
    // Act
    const conversations = await Promise.all(payloads.map(() => connect(proxy)));
    await Promise.all(conversations.map((client, i) => client.echo(payloads[i]!)));
    const whileOpen = proxy.stats;
    for (const client of conversations) client.socket.end();
    await Promise.all(conversations.map((client) => client.closed));
    await until("the proxy forgetting closed links", () => proxy.stats.open === 0);
    // Assert
    expect(whileOpen).toEqual({ accepted: 3, open: 3, bytesUp: total, bytesDown: total, held: 0 });
    expect(proxy.stats).toEqual({
      accepted: 3,
      open: 0,
      bytesUp: total,
      bytesDown: total,
      held: 0,
    });
  });
});
