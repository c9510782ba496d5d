import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Client } from "undici";
import { type ResourceServer, startTlsServer } from "../src/servers.js";
import { type SelfSigned, selfSignedCert } from "../src/tls-cert.js";

describe("HTTP/2 over TLS", () => {
  let cert: SelfSigned;
  let server: ResourceServer;

  beforeAll(async () => {
    cert = selfSignedCert();
    server = await startTlsServer(cert);
  });

  afterAll(async () => {
    await server.close();
  });

  it("when a TLS client offers HTTP/2, then ALPN picks it, and the same port still serves clients that offer only HTTP/1.1", async () => {
    // Arrange
    const h2 = new Client(server.origin, { allowH2: true, connect: { ca: cert.cert } });
    const h1 = new Client(server.origin, { connect: { ca: cert.cert } });

    try {
      // Act
      const viaH2 = await (await h2.request({ path: "/page", method: "GET" })).body.text();
      const viaH1 = await (await h1.request({ path: "/page", method: "GET" })).body.text();

      // Assert
      expect(viaH2).toBe("/page over HTTP/2.0");
      expect(viaH1).toBe("/page over HTTP/1.1");
      expect(server.counts).toMatchObject({ connections: 2, sessions: 1, streams: 1 });
    } finally {
      await h2.close();
      await h1.close();
    }
  });
});
