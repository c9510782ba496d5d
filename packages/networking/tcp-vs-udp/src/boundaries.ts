import dgram from "node:dgram";
import { once } from "node:events";
import net from "node:net";

// The question behind "byte stream" versus "datagram": when the sender
// makes separate writes, does the receiver get them back as separate reads?
// We make the receiver slow on purpose, so every write is already waiting
// by the time it reads, and count what each read returns.

/** Writes each buffer with its own `write` call; returns what each `data` event held. */
export async function tcpReads(writes: readonly Buffer[]): Promise<Buffer[]> {
  // `pauseOnConnect` keeps the server from reading at all until we resume
  // it, so the writes pile up in the kernel's receive buffer, unread.
  const server = net.createServer({ pauseOnConnect: true });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const accepted = once(server, "connection") as Promise<[net.Socket]>;
  const client = net.connect({
    port: (server.address() as net.AddressInfo).port,
    host: "127.0.0.1",
    noDelay: true,
  });
  try {
    await once(client, "connect");
    const [socket] = await accepted;
    // Each `write` is its own `send` on the socket; we wait until the kernel
    // has taken every one of them before the reader looks.
    await Promise.all(
      writes.map((write) => new Promise((resolve) => client.write(write, resolve))),
    );
    const expected = writes.reduce((sum, write) => sum + write.length, 0);
    const reads: Buffer[] = [];
    let received = 0;
    const done = new Promise<void>((resolve) => {
      socket.on("data", (chunk: Buffer) => {
        reads.push(chunk);
        received += chunk.length;
        if (received >= expected) resolve();
      });
    });
    socket.resume();
    await done;
    socket.destroy();
    return reads;
  } finally {
    client.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
}

/** Sends each buffer as one datagram; returns what each `message` event held. */
export async function udpReads(sends: readonly Buffer[]): Promise<Buffer[]> {
  const receiver = dgram.createSocket({ type: "udp4", recvBufferSize: 4 * 1024 * 1024 });
  receiver.bind(0, "127.0.0.1");
  await once(receiver, "listening");
  const sender = dgram.createSocket("udp4");
  try {
    sender.connect(receiver.address().port, "127.0.0.1");
    await once(sender, "connect");
    const reads: Buffer[] = [];
    const done = new Promise<void>((resolve) => {
      receiver.on("message", (datagram) => {
        reads.push(datagram);
        if (reads.length >= sends.length) resolve();
      });
    });
    // All the sends happen in one go, before the receiver's turn to read,
    // just as the TCP writes above were all waiting for their reader.
    for (const send of sends) sender.send(send);
    await done;
    return reads;
  } finally {
    sender.close();
    receiver.close();
  }
}
