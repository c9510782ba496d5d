import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { FeedClient } from "../src/feed-client.js";
import { measureDelivery, percentile } from "../src/push-vs-poll.js";
import { LiveServer } from "../src/websocket.js";

describe("server push against polling", () => {
  let server: LiveServer;

  beforeEach(async () => {
    server = await LiveServer.start({ heartbeatMs: 0 });
  });

  afterEach(async () => {
    await server.close();
  });

  it("when the server has news, then it pushes it to every connected client without being asked", async () => {
    // Arrange
    const wsUrl = `${server.url.replace("http", "ws")}/ws`;
    const clients = await Promise.all([1, 2, 3].map(() => FeedClient.connect(wsUrl)));
    const requestsAfterHandshakes = server.requests;

    // Act
    await server.publish("price changed");
    const received = await Promise.all(clients.map((c) => c.eventWithText("price changed")));
    await Promise.all(clients.map((c) => c.close()));

    // Assert
    expect(received.map((e) => e.from)).toEqual(["server", "server", "server"]);
    expect(requestsAfterHandshakes).toBe(3);
    expect(server.requests).toBe(3);
  });

  it("when 100 events are delivered, then WebSocket needs one request and fewer bytes, while long-polling needs a request per answer", async () => {
    // Arrange
    const options = { count: 100, intervalMs: 20 };

    // Act
    const ws = await measureDelivery(server, "websocket", options);
    const long = await measureDelivery(server, "long-polling", options);

    // Assert
    expect([ws.delivered, ws.inOrder, long.delivered, long.inOrder]).toEqual([
      100,
      true,
      100,
      true,
    ]);
    expect(ws.requests).toBe(1);
    expect(long.requests).toBeGreaterThan(20);
    expect(long.bytes / ws.bytes).toBeGreaterThan(1.5);
  });

  it("when clients short-poll, then each event waits for the next poll, while a pushed event arrives at once", async () => {
    // Arrange
    const options = { count: 100, intervalMs: 10, pollMs: 100 };

    // Act
    const ws = await measureDelivery(server, "websocket", options);
    const short = await measureDelivery(server, "short-polling", options);

    // Assert
    expect([ws.delivered, ws.inOrder, short.delivered, short.inOrder]).toEqual([
      100,
      true,
      100,
      true,
    ]);
    expect(short.requests).toBeGreaterThan(3);
    expect(percentile(short.latencies, 0.5)).toBeGreaterThan(2 * percentile(ws.latencies, 0.5));
  });
});
