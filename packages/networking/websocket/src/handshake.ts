import { createHash, randomBytes } from "node:crypto";
import net from "node:net";

// A WebSocket starts life as an HTTP/1.1 request. The client asks to
// `Upgrade: websocket` and sends a random `Sec-WebSocket-Key`; the server
// proves it speaks WebSocket (and is not a confused HTTP cache) by hashing
// that key with a GUID fixed in RFC 6455 §1.3 and answering 101.

/** The GUID every WebSocket server appends to the client's key (RFC 6455 §1.3). */
export const WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/** `Sec-WebSocket-Accept` for a `Sec-WebSocket-Key`: base64(SHA-1(key + GUID)). */
export function acceptFor(key: string): string {
  return createHash("sha1")
    .update(key + WEBSOCKET_GUID)
    .digest("base64");
}

/** What the server answered to a handshake we wrote by hand. */
export interface RawHandshake {
  key: string;
  status: number;
  /** Response header names in lower case. */
  headers: Record<string, string>;
  /** The exact request we wrote, for showing. */
  request: string;
  /** The socket, now speaking WebSocket frames if `status` is 101. */
  socket: net.Socket;
  /** Bytes that arrived after the response head: the first frames. */
  rest: Buffer;
}

/**
 * Opens a TCP connection and performs the opening handshake with no library:
 * the request is plain text, and so is the answer up to the blank line.
 */
export async function rawHandshake(port: number, path = "/ws"): Promise<RawHandshake> {
  const key = randomBytes(16).toString("base64");
  const request = [
    `GET ${path} HTTP/1.1`,
    `Host: 127.0.0.1:${port}`,
    "Upgrade: websocket",
    "Connection: Upgrade",
    `Sec-WebSocket-Key: ${key}`,
    "Sec-WebSocket-Version: 13",
    "",
    "",
  ].join("\r\n");
  const socket = net.connect({ port, host: "127.0.0.1" });
  socket.write(request);
  let received = Buffer.alloc(0);
  const head = await new Promise<{ text: string; rest: Buffer }>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf("\r\n\r\n");
      if (end < 0) return;
      socket.off("data", onData).off("error", reject);
      socket.pause();
      resolve({ text: received.subarray(0, end).toString(), rest: received.subarray(end + 4) });
    };
    socket.on("data", onData).once("error", reject);
  });
  const [statusLine = "", ...lines] = head.text.split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const status = Number(statusLine.split(" ")[1]);
  return { key, status, headers, request, socket, rest: head.rest };
}

// After the 101 the connection carries frames, not requests. A frame is a
// 2-byte header (FIN, opcode, MASK bit, a 7-bit length), then 2 or 8 more
// length bytes for big payloads, then a 4-byte mask key if masked. Clients
// must mask every frame; servers must not.

/** A text frame as a client must send it: masked with a random 4-byte key. */
export function clientTextFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  if (payload.length > 125) throw new Error("keep the hand-made frame under 126 bytes");
  const mask = randomBytes(4);
  const masked = payload.map((byte, i) => byte ^ mask[i % 4]!);
  return Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, masked]);
}

/** One frame decoded from the start of `bytes`, or undefined if it has not all arrived. */
export interface Frame {
  fin: boolean;
  opcode: number;
  masked: boolean;
  payload: Buffer;
  /** Header and payload: the frame's size on the wire. */
  size: number;
}

export function readFrame(bytes: Buffer): Frame | undefined {
  if (bytes.length < 2) return undefined;
  const fin = (bytes[0]! & 0x80) !== 0;
  const opcode = bytes[0]! & 0x0f;
  const masked = (bytes[1]! & 0x80) !== 0;
  let length = bytes[1]! & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (bytes.length < 4) return undefined;
    length = bytes.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (bytes.length < 10) return undefined;
    length = Number(bytes.readBigUInt64BE(2));
    offset = 10;
  }
  const maskKey = masked ? bytes.subarray(offset, offset + 4) : undefined;
  if (masked) offset += 4;
  if (bytes.length < offset + length) return undefined;
  const raw = bytes.subarray(offset, offset + length);
  const payload = maskKey ? Buffer.from(raw.map((byte, i) => byte ^ maskKey[i % 4]!)) : raw;
  return { fin, opcode, masked, payload, size: offset + length };
}

/** Reads frames from a raw socket until one matches `wanted`. */
export function nextFrame(
  socket: net.Socket,
  initial: Buffer,
  wanted: (frame: Frame) => boolean = () => true,
): Promise<Frame> {
  let buffered = initial;
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      for (let frame = readFrame(buffered); frame; frame = readFrame(buffered)) {
        buffered = buffered.subarray(frame.size);
        if (wanted(frame)) {
          socket.off("data", onData).off("error", reject).off("close", onClose);
          socket.pause();
          resolve(frame);
          return true;
        }
      }
      return false;
    };
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      check();
    };
    const onClose = () => reject(new Error("the socket closed before the frame arrived"));
    if (check()) return;
    socket.on("data", onData).once("error", reject).once("close", onClose);
    socket.resume();
  });
}
