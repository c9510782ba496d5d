import { once } from "node:events";
import net from "node:net";

// HTTP/2 frames every message the same way: a 9-byte header, then the
// payload. Length (24 bits), type (8), flags (8), one reserved bit and a
// 31-bit stream id. No text, no line endings, no guessing where a message
// ends: the length says it.
export const FRAME_HEADER_BYTES = 9;

export const FRAME_TYPES = [
  "DATA",
  "HEADERS",
  "PRIORITY",
  "RST_STREAM",
  "SETTINGS",
  "PUSH_PROMISE",
  "PING",
  "GOAWAY",
  "WINDOW_UPDATE",
  "CONTINUATION",
] as const;

export const FLAGS = { END_STREAM: 0x1, ACK: 0x1, END_HEADERS: 0x4 } as const;

export interface Frame {
  type: string;
  flags: number;
  streamId: number;
  payload: Buffer;
}

export function frame(
  type: (typeof FRAME_TYPES)[number],
  flags: number,
  streamId: number,
  payload: Buffer = Buffer.alloc(0),
): Buffer {
  const header = Buffer.alloc(FRAME_HEADER_BYTES);
  header.writeUIntBE(payload.length, 0, 3);
  header.writeUInt8(FRAME_TYPES.indexOf(type), 3);
  header.writeUInt8(flags, 4);
  header.writeUInt32BE(streamId & 0x7fffffff, 5);
  return Buffer.concat([header, payload]);
}

/** Splits `bytes` into whole frames; returns them and the bytes of an unfinished one. */
export function parseFrames(bytes: Buffer): { frames: Frame[]; rest: Buffer } {
  const frames: Frame[] = [];
  let offset = 0;
  while (offset + FRAME_HEADER_BYTES <= bytes.length) {
    const length = bytes.readUIntBE(offset, 3);
    const end = offset + FRAME_HEADER_BYTES + length;
    if (end > bytes.length) break;
    const typeCode = bytes.readUInt8(offset + 3);
    frames.push({
      type: FRAME_TYPES[typeCode] ?? `UNKNOWN(${typeCode})`,
      flags: bytes.readUInt8(offset + 4),
      streamId: bytes.readUInt32BE(offset + 5) & 0x7fffffff,
      payload: bytes.subarray(offset + FRAME_HEADER_BYTES, end),
    });
    offset = end;
  }
  return { frames, rest: bytes.subarray(offset) };
}

// HPACK, just enough to ask for a page. Headers found in HPACK's static
// table cost one byte: `:method: GET` is entry 2, `:scheme: http` entry 6.
// Others reuse a table entry's name and spell out the value.
const indexed = (index: number) => Buffer.of(0x80 | index);
function literalValue(nameIndex: number, value: string): Buffer {
  const bytes = Buffer.from(value);
  if (bytes.length > 126) throw new Error("header value too long for this tiny encoder");
  return Buffer.concat([Buffer.of(nameIndex), Buffer.of(bytes.length), bytes]);
}

/** The header block of `GET <path>`: `:method`, `:scheme`, `:path`, `:authority`. */
export function getRequestBlock(path: string, authority: string): Buffer {
  return Buffer.concat([indexed(2), indexed(6), literalValue(4, path), literalValue(1, authority)]);
}

/**
 * Opens a raw TCP connection to an h2c server, speaks HTTP/2 by hand (the
 * preface, SETTINGS, one HEADERS frame) and returns every frame the server
 * sent until the response ended, in order, along with the bytes received.
 */
export async function rawH2cGet(
  port: number,
  path: string,
): Promise<{ frames: Frame[]; bytes: number }> {
  const socket = net.connect({ port, host: "127.0.0.1" });
  await once(socket, "connect");
  const frames: Frame[] = [];
  let bytes = 0;
  try {
    const ended = new Promise<void>((resolve, reject) => {
      let pending = Buffer.alloc(0);
      socket.on("error", reject);
      socket.on("close", () =>
        reject(new Error("the server closed the connection before answering")),
      );
      socket.on("data", (chunk: Buffer) => {
        bytes += chunk.length;
        const { frames: complete, rest } = parseFrames(Buffer.concat([pending, chunk]));
        pending = Buffer.from(rest);
        for (const f of complete) {
          frames.push(f);
          // The server's SETTINGS must be acknowledged, as any peer's must.
          if (f.type === "SETTINGS" && !(f.flags & FLAGS.ACK))
            socket.write(frame("SETTINGS", FLAGS.ACK, 0));
          if (f.streamId === 1 && f.flags & FLAGS.END_STREAM) resolve();
        }
      });
    });
    // Every HTTP/2 connection opens with the same 24-byte preface, then a
    // SETTINGS frame (empty: we accept the defaults). Then our request: one
    // HEADERS frame on stream 1, the first odd stream id a client may use,
    // flagged END_HEADERS (the block is whole) and END_STREAM (no body).
    socket.write(Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));
    socket.write(frame("SETTINGS", 0, 0));
    socket.write(
      frame(
        "HEADERS",
        FLAGS.END_HEADERS | FLAGS.END_STREAM,
        1,
        getRequestBlock(path, `127.0.0.1:${port}`),
      ),
    );
    await ended;
    // GOAWAY says we are leaving cleanly: last stream 1, no error.
    socket.write(frame("GOAWAY", 0, 0, Buffer.from([0, 0, 0, 1, 0, 0, 0, 0])));
    return { frames, bytes };
  } finally {
    socket.destroy();
  }
}

/** The same request in HTTP/1.1 over a raw socket: the bytes, as text. */
export async function rawHttp1Get(
  port: number,
  path: string,
): Promise<{ request: string; response: string }> {
  const socket = net.connect({ port, host: "127.0.0.1" });
  await once(socket, "connect");
  const request = `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`;
  try {
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    const closed = once(socket, "end");
    socket.write(request);
    await closed;
    return { request, response: Buffer.concat(chunks).toString("latin1") };
  } finally {
    socket.destroy();
  }
}
