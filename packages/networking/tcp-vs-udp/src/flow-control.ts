import dgram from "node:dgram";
import { once } from "node:events";
import net from "node:net";

/** What a flood of datagrams did to a receiver that reads too slowly. */
export interface UdpFlood {
  sent: number;
  /** Sends the socket reported as failed: the sender's only chance to notice. */
  sendErrors: number;
  received: number;
}

// UDP has no flow control. We give the receiver a small receive buffer and
// send `count` datagrams in one go, before it gets a turn to read: whatever
// does not fit in its buffer, the kernel drops, and nobody tells the sender.
export async function floodUdp(count: number, size = 64): Promise<UdpFlood> {
  const receiver = dgram.createSocket({ type: "udp4", recvBufferSize: 4096 });
  receiver.bind(0, "127.0.0.1");
  await once(receiver, "listening");
  const sender = dgram.createSocket("udp4");
  const END = Buffer.from("end");
  let received = 0;
  let ended = false;
  receiver.on("message", (datagram) => {
    if (datagram.equals(END)) ended = true;
    else received++;
  });
  try {
    sender.connect(receiver.address().port, "127.0.0.1");
    await once(sender, "connect");
    const results = await Promise.all(
      Array.from(
        { length: count },
        () =>
          new Promise<boolean>((resolve) => sender.send(Buffer.alloc(size), (e) => resolve(!e))),
      ),
    );
    // UDP has no end of stream either, so we send an end marker, again and
    // again until one gets through; by then the receiver has read the rest.
    while (!ended) {
      sender.send(END);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return { sent: count, sendErrors: results.filter((ok) => !ok).length, received };
  } finally {
    sender.close();
    receiver.close();
  }
}

/** What a TCP sender saw while its receiver stopped reading. */
export interface TcpFlood {
  sent: number;
  received: number;
  /** Bytes `write` accepted before it first returned false: the pushback point. */
  acceptedBeforePushback: number;
  intact: boolean;
}

// TCP's receiver advertises how much room it has left; when that window
// closes the sender's kernel stops sending and its buffer fills, and Node
// tells us by returning false from `write`. We stop the reader, write until
// we are told to wait, then let it read: nothing is dropped, only delayed.
export async function floodTcp(totalBytes: number, chunkBytes = 64 * 1024): Promise<TcpFlood> {
  const server = net.createServer({ pauseOnConnect: true });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const accepted = once(server, "connection") as Promise<[net.Socket]>;
  const client = net.connect({
    port: (server.address() as net.AddressInfo).port,
    host: "127.0.0.1",
  });
  let socket: net.Socket | undefined;
  try {
    await once(client, "connect");
    [socket] = await accepted;
    const chunks = Math.ceil(totalBytes / chunkBytes);
    // Chunk `i` is filled with the byte `i % 256`, so the reader can check order.
    const chunk = (i: number) => Buffer.alloc(chunkBytes, i % 256);
    let next = 0;
    let acceptedBeforePushback = -1;
    while (next < chunks && acceptedBeforePushback < 0) {
      if (!client.write(chunk(next++))) acceptedBeforePushback = next * chunkBytes;
    }
    let received = 0;
    let intact = true;
    const done = new Promise<void>((resolve) => {
      socket!.on("data", (data: Buffer) => {
        for (let i = 0; i < data.length; i += 4096) {
          if (data[i] !== Math.floor((received + i) / chunkBytes) % 256) intact = false;
        }
        received += data.length;
        if (received >= chunks * chunkBytes) resolve();
      });
    });
    socket.resume();
    while (next < chunks) {
      if (!client.write(chunk(next++))) await once(client, "drain");
    }
    await done;
    return { sent: chunks * chunkBytes, received, acceptedBeforePushback, intact };
  } finally {
    client.destroy();
    socket?.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
}
