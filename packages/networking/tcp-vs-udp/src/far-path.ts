import dgram from "node:dgram";
import net from "node:net";
import { DelayLine, ScriptProcess } from "@playground/kit";

// On loopback the handshake's round trip takes microseconds, so the cost of
// a new TCP connection hides in the noise of setting sockets up. To see it
// as the round trip it is, we need a path with real latency under every
// packet, SYN and SYN-ACK included. A proxy cannot do that: the kernel
// completes the handshake before any proxy sees the connection. The kit's
// DelayLine can: every IP packet to the far host waits `oneWayMs` in each
// direction (a TUN device, a namespace and a relay; needs root).
//
// Then the arithmetic becomes a measurement. Ask a question of a host you
// have no socket to yet:
//   UDP: the datagram goes, the answer comes back: one round trip.
//   TCP: SYN, SYN-ACK (one round trip), then the request and the answer
//        (a second one): two round trips before the first byte of the answer.
// TLS on top of TCP adds at least one more; QUIC folds transport and TLS
// setup into one round trip, because it is built on UDP.

export interface FarPath {
  oneWayMs: number;
  trials: number;
  /** Medians, in milliseconds, from "new socket" to the event. */
  tcpConnectMs: number;
  tcpAnswerMs: number;
  udpAnswerMs: number;
}

const FAR_SERVERS = new URL("./far-servers.ts", import.meta.url);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Why the far path cannot be measured on this machine, or undefined if it can. */
export const farPathMissing = (): string | undefined => DelayLine.missing();

export async function measureFarPath(oneWayMs: number, trials: number): Promise<FarPath> {
  await using line = await DelayLine.open({ oneWayMs });
  await using far = new ScriptProcess<{ type: string; tcp: number; udp: number }>(
    FAR_SERVERS,
    [],
    "far servers",
    { prefix: line.farCommand },
  );
  const ports = await far.next("listening");
  const connect: number[] = [];
  const tcp: number[] = [];
  const udp: number[] = [];
  // Alternate the two, a fresh socket each time, so both see the same machine.
  for (let i = 0; i < trials; i++) {
    const started = performance.now();
    const socket = net.connect({ host: line.farAddress, port: ports.tcp, noDelay: true });
    socket.write("hello?"); // held by Node until the handshake is done
    socket.once("connect", () => connect.push(performance.now() - started));
    await new Promise<void>((resolve, reject) => {
      socket.once("data", () => resolve()).once("error", reject);
    });
    tcp.push(performance.now() - started);
    socket.destroy();

    const datagrams = dgram.createSocket("udp4");
    const udpStarted = performance.now();
    const answered = new Promise<void>((resolve) => datagrams.once("message", () => resolve()));
    datagrams.send("hello?", ports.udp, line.farAddress);
    await answered;
    udp.push(performance.now() - udpStarted);
    datagrams.close();
  }
  return {
    oneWayMs,
    trials,
    tcpConnectMs: median(connect),
    tcpAnswerMs: median(tcp),
    udpAnswerMs: median(udp),
  };
}
