import { afterEach, describe, expect, it } from "@jest/globals";
import { FeedClient } from "../src/feed-client.js";
import { ReverseProxy } from "../src/http-proxy.js";
import { LiveServer } from "../src/websocket.js";

describe("WebSocket through an HTTP reverse proxy", () => {
  const cleanups: (() => Promise<unknown>)[] = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function behindProxy(heartbeatMs: number, upgrades: boolean, idleTimeoutMs?: number) {
    const server = await LiveServer.start({ heartbeatMs });
    cleanups.push(() => server.close());
    const proxy = await ReverseProxy.start({
      target: { host: "127.0.0.1", port: server.port },
      upgrades,
      ...(idleTimeoutMs ? { idleTimeoutMs } : {}),
    });
    cleanups.push(() => proxy.close());
    return { server, proxy, wsUrl: `${proxy.url.replace("http", "ws")}/ws` };
  }

  it("when a proxy forwards the handshake as an ordinary request, then the hop-by-hop Upgrade header is dropped and the server answers 426", async () => {
    // Arrange
    const { server, wsUrl } = await behindProxy(0, false);

    // Act
    const error = await FeedClient.connect(wsUrl).catch((e: unknown) => e);

    // Assert
    expect(String(error)).toContain("answered 426");
    expect(server.peers.size).toBe(0);
    expect(server.requests).toBe(1);
  });

  it("when the proxy tunnels upgrades on purpose, then the WebSocket opens through it and carries pushes", async () => {
    // Arrange
    const { server, wsUrl } = await behindProxy(0, true);

    // Act
    const client = await FeedClient.connect(wsUrl);
    cleanups.push(() => client.close());
    await server.publish("through the proxy");
    const event = await client.eventWithText("through the proxy");

    // Assert
    expect(event.from).toBe("server");
    expect(server.peers.size).toBe(1);
  });

  it("when a proxy closes tunnels idle past its timeout, then a silent WebSocket is cut while one with a shorter heartbeat stays open", async () => {
    // Arrange
    const idleTimeoutMs = 1_000;
    const silent = await behindProxy(0, true, idleTimeoutMs);
    const beating = await behindProxy(100, true, idleTimeoutMs);
    const silentClient = await FeedClient.connect(silent.wsUrl);
    const beatingClient = await FeedClient.connect(beating.wsUrl);
    cleanups.push(
      () => silentClient.close(),
      () => beatingClient.close(),
    );
    let pings = 0;
    beatingClient.ws.on("ping", () => pings++);

    // Act
    const code = await silentClient.closed;
    const pingsWhenCut = pings;

    // Assert
    expect(code).toBe(1006);
    expect(silent.proxy.idleClosed).toBe(1);
    expect(pingsWhenCut).toBeGreaterThan(2);
    expect(beatingClient.open).toBe(true);
    expect(beating.proxy.idleClosed).toBe(0);
  });
});
