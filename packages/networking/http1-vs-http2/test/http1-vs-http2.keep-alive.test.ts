import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { Client } from "undici";
import { sequential } from "../src/http1-vs-http2.js";
import { type ResourceServer, startHttp1Server } from "../src/servers.js";

// The list says HTTP/1.1 needs a new connection for each request. It does
// not: keep-alive has been HTTP/1.1's default since RFC 2068 (1997).
describe("HTTP/1.1 connections", () => {
  let server: ResourceServer;
  let client: Client;

  beforeEach(async () => {
    server = await startHttp1Server();
    client = new Client(server.origin);
  });

  afterEach(async () => {
    await client.close();
    await server.close();
  });

  it("when 100 HTTP/1.1 requests go one after another through a keep-alive client, then the server sees one TCP connection", async () => {
    // Act
    await sequential(client, 100);

    // Assert
    expect(server.counts.requests).toBe(100);
    expect(server.counts.connections).toBe(1);
  });

  it("when each of 100 HTTP/1.1 requests says Connection: close, then the server sees a new TCP connection for every one", async () => {
    // Act
    await sequential(client, 100, { connection: "close" });

    // Assert
    expect(server.counts.requests).toBe(100);
    expect(server.counts.connections).toBe(100);
  });
});
