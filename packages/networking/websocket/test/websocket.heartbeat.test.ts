import { afterEach, describe, expect, it } from "@jest/globals";
import { ChaosProxy } from "@playground/kit";
import { FeedClient } from "../src/feed-client.js";
import { PeerProcess } from "../src/peer-process.js";
import { LiveServer } from "../src/websocket.js";

describe("heartbeat", () => {
  const cleanups: (() => Promise<unknown>)[] = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function startServer(heartbeatMs: number): Promise<LiveServer> {
    const server = await LiveServer.start({ heartbeatMs, missedPongsAllowed: 2 });
    cleanups.push(() => server.close());
    return server;
  }

  it("when a client process is killed with SIGKILL, then no close frame arrives (1006) but its kernel's FIN lets the server clean up without any heartbeat", async () => {
    // Arrange
    const server = await startServer(0);
    const connected = server.next("connected");
    const peer = await PeerProcess.spawn(`${server.url.replace("http", "ws")}/ws`);
    cleanups.push(() => peer.kill());
    const { id } = await connected;
    const closed = server.next("closed", (e) => e.id === id);

    // Act
    await peer.kill();
    const { code } = await closed;

    // Assert
    expect(code).toBe(1006);
    expect(server.peers.has(id)).toBe(false);
  });

  it("when a client process freezes, then its socket stays open until unanswered pings make the server terminate it", async () => {
    // Arrange
    const server = await startServer(100);
    const wsUrl = `${server.url.replace("http", "ws")}/ws`;
    const healthy = await FeedClient.connect(wsUrl);
    cleanups.push(() => healthy.close());
    const connected = server.next("connected");
    const peer = await PeerProcess.spawn(wsUrl);
    cleanups.push(() => peer.kill());
    const { id } = await connected;
    const terminated = server.next("terminated", (e) => e.id === id);
    const closed = server.next("closed", (e) => e.id === id);

    // Act
    peer.freeze();
    const termination = await terminated;
    const { code } = await closed;

    // Assert
    expect(termination.missedPongs).toBe(2);
    expect(code).toBe(1006);
    expect([...server.peers.keys()]).toHaveLength(1);
    expect(healthy.open).toBe(true);
  });

  it("when the network path goes silent, with no FIN and no close frame, then the heartbeat finds the dead peer and the server drops it", async () => {
    // Arrange
    const server = await startServer(100);
    const proxy = await ChaosProxy.start({ host: "127.0.0.1", port: server.port });
    cleanups.push(() => proxy.close());
    const connected = server.next("connected");
    const client = await FeedClient.connect(`ws://127.0.0.1:${proxy.port}/ws`);
    cleanups.push(() => client.close());
    const { id } = await connected;
    const terminated = server.next("terminated", (e) => e.id === id);
    const closed = server.next("closed", (e) => e.id === id);

    // Act
    proxy.blackhole();
    const termination = await terminated;
    const { code } = await closed;

    // Assert
    expect(termination.missedPongs).toBe(2);
    expect(code).toBe(1006);
    expect(server.peers.has(id)).toBe(false);
    expect(client.open).toBe(true);
  });
});
