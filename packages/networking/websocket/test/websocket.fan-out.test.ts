import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "@jest/globals";
import { services } from "@playground/kit";
import { RedisBus } from "../src/fan-out.js";
import { FeedClient } from "../src/feed-client.js";
import { LiveServer } from "../src/websocket.js";

describe("fan-out across instances", () => {
  const cleanups: (() => Promise<unknown>)[] = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function instance(name: string, bus?: RedisBus): Promise<LiveServer> {
    const server = await LiveServer.start({ name, heartbeatMs: 0, ...(bus ? { bus } : {}) });
    cleanups.push(() => server.close());
    return server;
  }

  async function client(server: LiveServer): Promise<FeedClient> {
    const feed = await FeedClient.connect(`${server.url.replace("http", "ws")}/ws`);
    cleanups.push(() => feed.close());
    return feed;
  }

  async function redisPair(): Promise<[LiveServer, LiveServer]> {
    const redis = await services.redis();
    const channel = `websocket-test:${randomUUID()}`;
    return [
      await instance("a", new RedisBus(redis.url, channel)),
      await instance("b", new RedisBus(redis.url, channel)),
    ];
  }

  it("when a client of instance A sends a message, then a client connected to instance B receives it through Redis pub/sub", async () => {
    // Arrange
    const [a, b] = await redisPair();
    const onA = await client(a);
    const onB = await client(b);

    // Act
    onA.send("hello from A");
    const received = await onB.eventWithText("hello from A");

    // Assert
    expect(received.origin).toBe("a");
    expect(received.from).toMatch(/^a-/);
    expect(b.peers.size).toBe(1);
  });

  it("when instances share no bus, then a message sent to A reaches A's clients but never B's", async () => {
    // Arrange
    const a = await instance("a");
    const b = await instance("b");
    const onA = await client(a);
    const onB = await client(b);

    // Act
    onA.send("only on A");
    await onA.eventWithText("only on A");
    onB.send("marker on B");
    await onB.eventWithText("marker on B");

    // Assert
    expect(onB.events.map((e) => e.text)).toEqual(["marker on B"]);
    expect(b.log.after(0).map((e) => e.text)).toEqual(["marker on B"]);
  });

  it("when clients on both instances send at once, then every client on either instance gets every message once, in one order", async () => {
    // Arrange
    const [a, b] = await redisPair();
    const clients = [await client(a), await client(a), await client(b), await client(b)];
    const texts = clients.flatMap((_, c) => Array.from({ length: 25 }, (_, i) => `c${c}-m${i}`));

    // Act
    for (let i = 0; i < 25; i++) {
      for (const [n, c] of clients.entries()) c.send(`c${n}-m${i}`);
    }
    await Promise.all(clients.map((c) => c.until((x) => x.events.length >= texts.length)));

    // Assert
    const orders = clients.map((c) => c.events.map((e) => e.text));
    expect([...orders[0]!].sort()).toEqual([...texts].sort());
    for (const order of orders) expect(order).toEqual(orders[0]);
  });
});
