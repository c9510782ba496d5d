import dgram from "node:dgram";
import { once } from "node:events";
import net from "node:net";

/** Medians over interleaved trials, in milliseconds. */
export interface SetupCost {
  trials: number;
  /** New TCP connection: `connect()` until the server reads the first byte. */
  tcpFirstByteMs: number;
  /** Of that, `connect()` until the handshake completed at the client. */
  tcpHandshakeMs: number;
  /** New UDP socket: `send()` until the server reads the datagram. */
  udpFirstByteMs: number;
  /** Trials in which the client's handshake finished before the server saw any byte. */
  handshakeFirst: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

// A TCP client cannot send its first byte until the handshake is done: SYN
// out, SYN-ACK back, then the ACK travels with the data. That is one round
// trip before anything useful, three one-way trips before the server has
// the first byte. A UDP client just sends: one one-way trip.
//
// On loopback a round trip takes microseconds, so what we measure here is
// that round trip plus the work each side does to set a connection up
// (a socket on each end, an `accept`): a connection's whole setup cost.
// We alternate the two, one trial each, so both see the same machine.
export async function measureSetupCost(trials: number): Promise<SetupCost> {
  const tcpServer = net.createServer({ noDelay: true });
  let tcpFirstByte: (at: number) => void = () => {};
  tcpServer.on("connection", (socket) => {
    socket.once("data", () => {
      tcpFirstByte(performance.now());
      socket.destroy();
    });
  });
  tcpServer.listen(0, "127.0.0.1");
  await once(tcpServer, "listening");
  const udpServer = dgram.createSocket("udp4");
  let udpFirstByte: (at: number) => void = () => {};
  udpServer.on("message", () => udpFirstByte(performance.now()));
  udpServer.bind(0, "127.0.0.1");
  await once(udpServer, "listening");
  const tcpPort = (tcpServer.address() as net.AddressInfo).port;
  const udpPort = udpServer.address().port;

  const tcp: number[] = [];
  const handshake: number[] = [];
  const udp: number[] = [];
  let handshakeFirst = 0;
  try {
    for (let i = 0; i < trials; i++) {
      const tcpArrived = new Promise<number>((resolve) => {
        tcpFirstByte = resolve;
      });
      const tcpStart = performance.now();
      const client = net.connect({ port: tcpPort, host: "127.0.0.1", noDelay: true });
      let connectedAt = Number.POSITIVE_INFINITY;
      client.once("connect", () => {
        connectedAt = performance.now();
      });
      // Written at once, but Node holds it until `connect`: there is no
      // connection to send it on yet.
      client.write("x");
      const tcpAt = await tcpArrived;
      client.destroy();
      tcp.push(tcpAt - tcpStart);
      handshake.push(connectedAt - tcpStart);
      if (connectedAt <= tcpAt) handshakeFirst++;

      const udpArrived = new Promise<number>((resolve) => {
        udpFirstByte = resolve;
      });
      const udpStart = performance.now();
      const sender = dgram.createSocket("udp4");
      sender.send("x", udpPort, "127.0.0.1");
      udp.push((await udpArrived) - udpStart);
      sender.close();
    }
  } finally {
    await new Promise((resolve) => tcpServer.close(resolve));
    udpServer.close();
  }
  return {
    trials,
    tcpFirstByteMs: median(tcp),
    tcpHandshakeMs: median(handshake),
    udpFirstByteMs: median(udp),
    handshakeFirst,
  };
}
