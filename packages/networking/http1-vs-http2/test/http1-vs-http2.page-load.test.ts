import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { loadPage } from "../src/http1-vs-http2.js";
import { type ResourceServer, startH2cServer, startHttp1Server } from "../src/servers.js";

const RESOURCES = 100;
const DELAY_MS = 50;

describe("loading 100 slow resources", () => {
  let h1: ResourceServer;
  let h2: ResourceServer;

  beforeAll(async () => {
    h1 = await startHttp1Server();
    h2 = await startH2cServer();
  });

  afterAll(async () => {
    await h1.close();
    await h2.close();
  });

  it("when 100 resources of 50 ms each are fetched, then one HTTP/1.1 connection is far slower than one HTTP/2 connection, and six HTTP/1.1 connections land in between", async () => {
    // Act: the three runs one after another, against the same two servers.
    const h1x1 = await loadPage(
      h1.origin,
      { protocol: "HTTP/1.1", connections: 1 },
      RESOURCES,
      DELAY_MS,
    );
    const h1x1Connections = h1.counts.connections;
    h1.reset();
    const h1x6 = await loadPage(
      h1.origin,
      { protocol: "HTTP/1.1", connections: 6 },
      RESOURCES,
      DELAY_MS,
    );
    const h1x6Connections = h1.counts.connections;
    const h2x1 = await loadPage(h2.origin, { protocol: "HTTP/2" }, RESOURCES, DELAY_MS);

    // Assert: measured here about 5,200 / 900 / 100 ms. The bounds are loose:
    // HTTP/2's 100 streams cost CPU that a busy machine stretches.
    expect(h1x1Connections).toBe(1);
    expect(h1x6Connections).toBe(6);
    expect(h2.counts).toMatchObject({ connections: 1, sessions: 1, streams: RESOURCES });
    expect(h1x1 / h2x1).toBeGreaterThan(5);
    expect(h1x1 / h1x6).toBeGreaterThan(2);
    expect(h1x6).toBeGreaterThan(h2x1);
  });
});
