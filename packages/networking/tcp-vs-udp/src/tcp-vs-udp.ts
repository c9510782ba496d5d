import dgram from "node:dgram";
import { once } from "node:events";
import net from "node:net";

// Every message we send is one number, 4 bytes, big-endian. Numbering
// them is how the receiver can tell what went missing and what came late.
const MESSAGE_BYTES = 4;

export function encode(seq: number): Buffer {
  const message = Buffer.alloc(MESSAGE_BYTES);
  message.writeUInt32BE(seq);
  return message;
}

/** What a receiver saw of `sent` numbered messages. */
export interface Delivery {
  sent: number;
  received: number;
  /** Numbers that never arrived. */
  lost: number;
  /** Messages that arrived after a higher-numbered one. */
  late: number;
  duplicates: number;
  /** Every number, once, in the order sent. */
  complete: boolean;
}

// Loss is what never came; reordering is what came after a message sent
// later than it. One late message counts once, not once per message it
// displaced, so `late` is the number of messages the network reordered.
export function analyse(arrivals: readonly number[], sent: number): Delivery {
  const seen = new Set<number>();
  let late = 0;
  let duplicates = 0;
  let highest = -1;
  for (const seq of arrivals) {
    if (seen.has(seq)) duplicates++;
    seen.add(seq);
    if (seq < highest) late++;
    highest = Math.max(highest, seq);
  }
  const lost = sent - seen.size;
  const complete = lost === 0 && late === 0 && duplicates === 0 && arrivals.length === sent;
  return { sent, received: arrivals.length, lost, late, duplicates, complete };
}

/** A receiving end on 127.0.0.1 that records the numbers in arrival order. */
export interface Receiver {
  port: number;
  arrivals: number[];
  /** How many reads it took: `message` events for UDP, `data` events for TCP. */
  reads: number;
  /** Resolves true once `condition` holds, false if `timeoutMs` passes first. */
  until(condition: () => boolean, timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

function waiters() {
  const checks = new Set<() => void>();
  return {
    changed: () => {
      for (const check of [...checks]) check();
    },
    until: (condition: () => boolean, timeoutMs: number) =>
      new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => finish(false), timeoutMs);
        const finish = (held: boolean) => {
          clearTimeout(timer);
          checks.delete(check);
          resolve(held);
        };
        const check = () => condition() && finish(true);
        checks.add(check);
        check();
      }),
  };
}

// UDP hands us datagrams: each `message` event is exactly one `send` from
// the other side, never half of one and never two. So one event is one number.
export async function receiveUdp(): Promise<Receiver> {
  const socket = dgram.createSocket({ type: "udp4", recvBufferSize: 4 * 1024 * 1024 });
  const { changed, until } = waiters();
  const receiver: Receiver = {
    port: 0,
    arrivals: [],
    reads: 0,
    until,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
  socket.on("message", (datagram) => {
    receiver.reads++;
    receiver.arrivals.push(datagram.readUInt32BE(0));
    changed();
  });
  socket.bind(0, "127.0.0.1");
  await once(socket, "listening");
  receiver.port = socket.address().port;
  return receiver;
}

// TCP hands us a stream of bytes. A `data` event may hold half a number or
// a thousand of them, whatever the writes were, so we cut the stream into
// 4-byte messages ourselves and keep the leftover for the next read.
export async function receiveTcp(): Promise<Receiver> {
  const server = net.createServer();
  const { changed, until } = waiters();
  const receiver: Receiver = {
    port: 0,
    arrivals: [],
    reads: 0,
    until,
    close: async () => {
      const closed = new Promise((resolve) => server.close(resolve));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
  const sockets = new Set<net.Socket>();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    let pending = Buffer.alloc(0);
    socket.on("data", (chunk) => {
      receiver.reads++;
      pending = Buffer.concat([pending, chunk]);
      let offset = 0;
      for (; offset + MESSAGE_BYTES <= pending.length; offset += MESSAGE_BYTES) {
        receiver.arrivals.push(pending.readUInt32BE(offset));
      }
      pending = pending.subarray(offset);
      changed();
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  receiver.port = (server.address() as net.AddressInfo).port;
  return receiver;
}

// UDP has no flow control: nothing stops a sender writing faster than the
// other side reads, and the kernel silently drops what does not fit (the
// flow-control test shows it). So that the only losses are the path's, we
// pace ourselves: after every `batch` datagrams, we wait for `delivered`.
export async function sendOverUdp(
  port: number,
  count: number,
  delivered: (sent: number) => Promise<unknown>,
  batch = 100,
): Promise<void> {
  const socket = dgram.createSocket("udp4");
  socket.connect(port, "127.0.0.1");
  await once(socket, "connect");
  try {
    for (let seq = 0; seq < count; seq++) {
      socket.send(encode(seq));
      if ((seq + 1) % batch === 0 || seq + 1 === count) await delivered(seq + 1);
    }
  } finally {
    socket.close();
  }
}

// TCP needs none of that care. We write every message as fast as we like;
// the kernel acknowledges, retransmits, puts back in order and throttles for us, and
// `end` resolves once every byte is handed over and the connection closes.
export async function sendOverTcp(port: number, count: number): Promise<void> {
  const socket = net.connect({ port, host: "127.0.0.1", noDelay: true });
  await once(socket, "connect");
  for (let seq = 0; seq < count; seq++) socket.write(encode(seq));
  socket.end();
  await once(socket, "close");
}
