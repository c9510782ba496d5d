import { afterEach, describe, expect, it } from "@jest/globals";
import { FeedClient } from "../src/feed-client.js";
import { LiveServer } from "../src/websocket.js";

const MiB = 1024 * 1024;
const CHUNK = "x".repeat(64 * 1024);

describe("backpressure", () => {
  const cleanups: (() => Promise<unknown>)[] = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setUp(highWaterMark: number) {
    const server = await LiveServer.start({ heartbeatMs: 0, highWaterMark });
    cleanups.push(() => server.close());
    const wsUrl = `${server.url.replace("http", "ws")}/ws`;
    const connectedSlow = server.next("connected");
    const slow = await FeedClient.connect(wsUrl);
    const slowPeer = server.peers.get((await connectedSlow).id)!;
    const fast = await FeedClient.connect(wsUrl);
    cleanups.push(
      () => slow.close(),
      () => fast.close(),
    );
    slow.pause();
    return { server, slow, slowPeer, fast };
  }

  // Sends `count` 64 KiB events, one at a time, each once the fast client has it.
  async function feed(server: LiveServer, fast: FeedClient, count: number, onSent = () => {}) {
    const start = fast.events.length;
    for (let i = 1; i <= count; i++) {
      await server.publish(CHUNK);
      onSent();
      await fast.until((c) => c.events.length >= start + i);
    }
  }

  it("when a client stops reading and the server sends regardless, then the server's bufferedAmount for it grows with every message", async () => {
    // Arrange
    const { server, slowPeer, fast } = await setUp(Number.POSITIVE_INFINITY);
    const buffered: number[] = [];

    // Act
    await feed(server, fast, 256, () => buffered.push(slowPeer.ws.bufferedAmount));

    // Assert
    const sent = 256 * CHUNK.length;
    expect(buffered.at(-1)!).toBeGreaterThan(sent / 2);
    const lastQuarter = buffered.slice(-64);
    expect(lastQuarter.every((b, i) => i === 0 || b > lastQuarter[i - 1]!)).toBe(true);
    expect(fast.events).toHaveLength(256);
  });

  it("when the server drops messages past its high-water mark, then a slow client's buffer stays bounded while a reading client gets every message", async () => {
    // Arrange
    const { server, slowPeer, fast } = await setUp(MiB);
    let maxBuffered = 0;

    // Act
    await feed(server, fast, 256, () => {
      maxBuffered = Math.max(maxBuffered, slowPeer.ws.bufferedAmount);
    });

    // Assert
    expect(maxBuffered).toBeLessThanOrEqual(MiB + 2 * CHUNK.length);
    expect(slowPeer.droppedTotal).toBeGreaterThan(256 / 4);
    expect(fast.events).toHaveLength(256);
  });

  it("when a dropped-on client reads again, then it is told how many messages it missed and nothing is lost silently", async () => {
    // Arrange
    const { server, slow, slowPeer, fast } = await setUp(MiB);
    await feed(server, fast, 256);
    const droppedWhilePaused = slowPeer.droppedTotal;

    // Act: keep the feed going until the server sees the client caught up.
    slow.resume();
    let sent = 256;
    const hasGap = () => slow.received.some((r) => r.message.type === "gap");
    while (!hasGap() && sent < 5_000) {
      await feed(server, fast, 1);
      sent++;
    }
    await slow.until((c) => c.events.at(-1)?.seq === server.log.lastSeq);

    // Assert
    const gaps = slow.received.flatMap((r) => (r.message.type === "gap" ? [r.message.missed] : []));
    expect(droppedWhilePaused).toBeGreaterThan(0);
    expect(gaps.reduce((a, b) => a + b, 0)).toBe(slowPeer.droppedTotal);
    expect(slow.events.length + slowPeer.droppedTotal).toBe(sent);
  });
});
