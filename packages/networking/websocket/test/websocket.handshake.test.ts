import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { FeedClient } from "../src/feed-client.js";
import { acceptFor, clientTextFrame, nextFrame, rawHandshake } from "../src/handshake.js";
import { LiveServer } from "../src/websocket.js";

describe("the opening handshake and framing", () => {
  let server: LiveServer;

  beforeEach(async () => {
    server = await LiveServer.start({ heartbeatMs: 0 });
  });

  afterEach(async () => {
    await server.close();
  });

  it("when the RFC 6455 sample key is hashed with the GUID, then the accept value is the one the RFC prints", () => {
    // Arrange
    const sampleKey = "dGhlIHNhbXBsZSBub25jZQ==";

    // Act
    const accept = acceptFor(sampleKey);

    // Assert
    expect(accept).toBe("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  });

  it("when a client asks to upgrade on the express app's port, then it gets 101 with Sec-WebSocket-Accept computed from its key", async () => {
    // Arrange
    const health = await fetch(`${server.url}/health`);

    // Act
    const handshake = await rawHandshake(server.port);
    handshake.socket.destroy();

    // Assert
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ instance: "live" });
    expect(handshake.status).toBe(101);
    expect(handshake.headers.upgrade?.toLowerCase()).toBe("websocket");
    expect(handshake.headers.connection?.toLowerCase()).toBe("upgrade");
    expect(handshake.headers["sec-websocket-accept"]).toBe(acceptFor(handshake.key));
  });

  it("when a client sends a masked frame after the 101, then the server pushes it to every client as an unmasked frame with a 2-byte header", async () => {
    // Arrange
    const handshake = await rawHandshake(server.port);
    const other = await FeedClient.connect(`${server.url.replace("http", "ws")}/ws`);
    const sent = clientTextFrame("hello");

    // Act
    handshake.socket.write(sent);
    const pushed = await nextFrame(handshake.socket, handshake.rest);
    const pushedToOther = await other.eventWithText("hello");
    handshake.socket.destroy();
    await other.close();

    // Assert
    expect(sent.length).toBe(2 + 4 + "hello".length);
    expect(pushed.opcode).toBe(1);
    expect(pushed.masked).toBe(false);
    expect(pushed.payload.length).toBeLessThan(126);
    expect(pushed.size - pushed.payload.length).toBe(2);
    expect(JSON.parse(pushed.payload.toString())).toMatchObject({ type: "event", text: "hello" });
    expect(pushedToOther.from).toBe(JSON.parse(pushed.payload.toString()).from);
  });

  it("when a client sends an unmasked frame, then the server closes the connection with 1002 protocol error", async () => {
    // Arrange
    const handshake = await rawHandshake(server.port);
    const unmasked = Buffer.concat([Buffer.from([0x81, 5]), Buffer.from("hello")]);

    // Act
    handshake.socket.write(unmasked);
    const close = await nextFrame(handshake.socket, handshake.rest, (f) => f.opcode === 8);
    handshake.socket.destroy();

    // Assert
    expect(close.payload.readUInt16BE(0)).toBe(1002);
    expect(server.log.lastSeq).toBe(0);
  });
});
