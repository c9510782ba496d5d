import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { BROWSER_HEADERS, measureRequestBytes } from "../src/hpack.js";
import { type ResourceServer, startH2cServer, startHttp1Server } from "../src/servers.js";

const REQUESTS = 50;

describe("header compression", () => {
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

  it("when 50 requests repeat the same large headers, then HTTP/2 puts a small fraction of HTTP/1.1's bytes on the wire", async () => {
    // Act
    const http1 = await measureRequestBytes(
      h1,
      { protocol: "HTTP/1.1", connections: 1 },
      BROWSER_HEADERS,
      REQUESTS,
    );
    const http2 = await measureRequestBytes(h2, { protocol: "HTTP/2" }, BROWSER_HEADERS, REQUESTS);

    // Assert: HTTP/1.1 pays the same every time; HTTP/2 pays once, then indexes.
    expect(http1.perLaterRequest).toBeGreaterThanOrEqual(http1.first);
    expect(http2.perLaterRequest).toBeLessThan(http2.first / 10);
    expect(http2.total).toBeLessThan(http1.total / 10);
  });

  it("when every request carries the same Authorization header, then HTTP/2 sends it in full each time instead of indexing it", async () => {
    // Arrange
    const token = `Bearer ${"eyJhbGciOiJIUzI1NiJ9".repeat(10)}`;
    const withToken = { ...BROWSER_HEADERS, authorization: token };

    // Act
    const plain = await measureRequestBytes(h2, { protocol: "HTTP/2" }, BROWSER_HEADERS, REQUESTS);
    const authorized = await measureRequestBytes(h2, { protocol: "HTTP/2" }, withToken, REQUESTS);

    // Assert: Huffman coding shrinks the token a little; it is never indexed.
    const extra = authorized.perLaterRequest - plain.perLaterRequest;
    expect(extra).toBeGreaterThan(token.length / 2);
    expect(extra).toBeLessThan(token.length + 10);
  });
});
