import { afterEach, describe, expect, it } from "@jest/globals";
import { FLAGS, FRAME_HEADER_BYTES, rawH2cGet, rawHttp1Get } from "../src/frames.js";
import { type ResourceServer, startH2cServer, startHttp1Server } from "../src/servers.js";

describe("on the wire", () => {
  let server: ResourceServer;

  afterEach(async () => {
    await server.close();
  });

  it("when we speak HTTP/2 by hand over a raw socket, then the server answers in binary frames: SETTINGS, then HEADERS and DATA on stream 1", async () => {
    // Arrange
    server = await startH2cServer();

    // Act
    const { frames, bytes } = await rawH2cGet(server.port, "/hello");

    // Assert
    expect(frames[0]).toMatchObject({ type: "SETTINGS", streamId: 0, flags: 0 });
    expect(frames.some((f) => f.type === "SETTINGS" && f.flags & FLAGS.ACK)).toBe(true);
    const stream1 = frames.filter((f) => f.streamId === 1);
    expect(stream1[0]).toMatchObject({ type: "HEADERS" });
    expect(stream1[0]!.flags & FLAGS.END_HEADERS).toBe(FLAGS.END_HEADERS);
    // `:status: 200` is entry 8 of HPACK's static table: one byte, 0x88.
    expect(stream1[0]!.payload[0]).toBe(0x88);
    const data = stream1.filter((f) => f.type === "DATA");
    expect(Buffer.concat(data.map((f) => f.payload)).toString()).toBe("/hello over HTTP/2.0");
    expect(stream1.at(-1)!.flags & FLAGS.END_STREAM).toBe(FLAGS.END_STREAM);
    // Every byte received belongs to a frame: 9 bytes of header plus its payload.
    expect(frames.reduce((sum, f) => sum + FRAME_HEADER_BYTES + f.payload.length, 0)).toBe(bytes);
  });

  it("when we speak HTTP/1.1 by hand over a raw socket, then the request and the response are lines of text", async () => {
    // Arrange
    server = await startHttp1Server();

    // Act
    const { request, response } = await rawHttp1Get(server.port, "/hello");

    // Assert
    expect(request.startsWith("GET /hello HTTP/1.1\r\n")).toBe(true);
    expect(response.startsWith("HTTP/1.1 200 OK\r\n")).toBe(true);
    const [head, body] = response.split("\r\n\r\n");
    expect(head).toMatch(/^content-length: 20$/im);
    expect(body).toBe("/hello over HTTP/1.1");
  });
});
