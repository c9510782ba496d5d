import { afterEach, describe, expect, it } from "@jest/globals";
import { Client, H2CClient } from "undici";
import { slowThenFast } from "../src/http1-vs-http2.js";
import { type ResourceServer, startH2cServer, startHttp1Server } from "../src/servers.js";

// One request the server answers late. HTTP/2's margin is wide on purpose:
// 100 streams cost this process real CPU, and other tests share the machine.
const SLOW_MS = { http1: 600, http2: 3_000 };

describe("head-of-line blocking", () => {
  let server: ResourceServer;
  let client: Client | H2CClient;

  afterEach(async () => {
    await client.close();
    await server.close();
  });

  it("when a slow response is first on an HTTP/1.1 connection, then the fast response behind it waits for it, even pipelined", async () => {
    // Arrange: pipelining sends the second request without waiting, so only
    // the protocol's in-order responses can hold it back.
    server = await startHttp1Server();
    client = new Client(server.origin, { pipelining: 10 });

    // Act
    const { slow, lastFastMs } = await slowThenFast(client, SLOW_MS.http1, 1);

    // Assert
    expect(server.counts.connections).toBe(1);
    expect(lastFastMs).toBeGreaterThanOrEqual(slow.endedMs);
    expect(lastFastMs).toBeGreaterThan(SLOW_MS.http1 * 0.9);
  });

  it("when one slow and 99 fast requests share one HTTP/2 connection, then the server sees 1 session and 100 streams, and the fast ones do not wait", async () => {
    // Arrange
    server = await startH2cServer();
    client = new H2CClient(server.origin, { pipelining: 100 });

    // Act
    const { slow, fast, lastFastMs } = await slowThenFast(client, SLOW_MS.http2, 99);

    // Assert
    expect(server.counts.connections).toBe(1);
    expect(server.counts.sessions).toBe(1);
    expect(server.counts.streams).toBe(100);
    expect(fast).toHaveLength(99);
    // Every fast stream ended while the slow one still had over half its time to run.
    expect(slow.endedMs - lastFastMs).toBeGreaterThan(SLOW_MS.http2 / 2);
  });
});
