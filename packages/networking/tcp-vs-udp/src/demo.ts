import { ChaosProxy, defineDemo } from "@playground/kit";
import { tcpReads, udpReads } from "./boundaries.js";
import { type FarPath, farPathMissing, measureFarPath } from "./far-path.js";
import { floodTcp, floodUdp } from "./flow-control.js";
import { LossyUdpRelay } from "./lossy-relay.js";
import { measureSetupCost } from "./setup-cost.js";
import { analyse, receiveTcp, receiveUdp, sendOverTcp, sendOverUdp } from "./tcp-vs-udp.js";

const MESSAGES = 10_000;
const DROP_RATE = 0.05;
const REORDER_RATE = 0.03;
const SEED = 61;
const LATENCY_MS = 20;

const round = (value: number, digits = 2) => Number(value.toFixed(digits));
const percent = (part: number, whole: number) => `${round((part / whole) * 100, 1)}%`;
const show = (reads: Buffer[]) => reads.map((read) => JSON.stringify(read.toString())).join(", ");

export default defineDemo({
  title: "TCP vs UDP",
  services: [],
  async run(ctx) {
    ctx.say(
      `${MESSAGES.toLocaleString("en")} numbered messages each way, real sockets on 127.0.0.1: ` +
        `UDP through a relay that drops ${DROP_RATE * 100}% and reorders ${REORDER_RATE * 100}%, ` +
        `TCP through the kit's proxy.`,
    );

    // The relay is the bad network: seeded, so every run loses the same
    // datagrams. The sender paces itself (UDP would not), so that the only
    // losses are the ones the relay chose.
    const udpReceiver = await receiveUdp();
    ctx.defer(() => udpReceiver.close());
    const relay = await LossyUdpRelay.start(
      { port: udpReceiver.port },
      { dropRate: DROP_RATE, reorderRate: REORDER_RATE, seed: SEED },
    );
    ctx.defer(() => relay.close());
    await sendOverUdp(relay.port, MESSAGES, (sent) => relay.until(() => relay.stats.seen >= sent));
    relay.flush();
    await udpReceiver.until(() => udpReceiver.arrivals.length >= relay.stats.forwarded, 5_000);
    const udp = analyse(udpReceiver.arrivals, MESSAGES);
    ctx.event(
      "relay",
      `dropped ${relay.stats.dropped}, sent ${relay.stats.reordered} late`,
      `seed ${SEED}`,
    );
    ctx.event(
      "udp receiver",
      `${udp.received} of ${MESSAGES} arrived`,
      `${udp.lost} lost, ${udp.late} out of order, in ${udpReceiver.reads} reads`,
    );
    ctx.metric("UDP lost", udp.lost, "messages");
    ctx.metric("UDP out of order", udp.late, "messages");

    await ctx.sleep(500);

    // Loopback never loses a TCP segment, so we cannot show retransmission
    // itself; the kit's proxy gives TCP a slow path instead. What the
    // receiver sees is what it would see on a lossy one: everything, in order.
    const tcpReceiver = await receiveTcp();
    ctx.defer(() => tcpReceiver.close());
    const proxy = await ChaosProxy.start({ host: "127.0.0.1", port: tcpReceiver.port });
    ctx.defer(() => proxy.close());
    proxy.latency(LATENCY_MS);
    ctx.say(
      `TCP through the kit's proxy, ${LATENCY_MS} ms each way. Loopback never drops a TCP ` +
        "segment, so there is nothing to retransmit here; on a lossy path the kernel would.",
    );
    await sendOverTcp(proxy.port, MESSAGES);
    await tcpReceiver.until(() => tcpReceiver.arrivals.length >= MESSAGES, 10_000);
    const tcp = analyse(tcpReceiver.arrivals, MESSAGES);
    ctx.event(
      "tcp receiver",
      `${tcp.received} of ${MESSAGES} arrived${tcp.complete ? ", every one once and in order" : ""}`,
      `${MESSAGES} writes came out of ${tcpReceiver.reads} read(s)`,
    );
    ctx.metric("TCP lost", tcp.lost, "messages");
    ctx.metric("TCP out of order", tcp.late, "messages");

    await ctx.sleep(500);

    // Boundaries: two writes while the reader is not looking.
    ctx.say('Two writes, "hello " and "world", made before the receiver reads.');
    const words = [Buffer.from("hello "), Buffer.from("world")];
    const tcpWords = await tcpReads(words);
    const udpWords = await udpReads(words);
    ctx.event("tcp receiver", `${tcpWords.length} read(s): ${show(tcpWords)}`, "a byte stream");
    ctx.event("udp receiver", `${udpWords.length} read(s): ${show(udpWords)}`, "one per datagram");
    const bigWrite = await tcpReads([Buffer.alloc(1024 * 1024, 1)]);
    ctx.event("tcp receiver", `one 1 MB write came out of ${bigWrite.length} reads`);

    await ctx.sleep(500);

    // Setup: a new connection against a new datagram, alternately.
    const trials = ctx.fast ? 50 : 200;
    ctx.say(`First byte of a new TCP connection against a new UDP socket, ${trials} trials each.`);
    const setup = await measureSetupCost(trials);
    const setupRatio = setup.tcpFirstByteMs / setup.udpFirstByteMs;
    ctx.event(
      "tcp client",
      `handshake done after ${round(setup.tcpHandshakeMs, 3)} ms`,
      `first byte at the server after ${round(setup.tcpFirstByteMs, 3)} ms (median)`,
    );
    ctx.event(
      "udp client",
      "no handshake",
      `first byte at the server after ${round(setup.udpFirstByteMs, 3)} ms (median)`,
    );
    ctx.metric("TCP first byte / UDP first byte", round(setupRatio, 1), "x");

    // The same question over a path with real latency: 25 ms each way, the
    // handshake included (the kit's DelayLine; it needs root).
    const missing = farPathMissing();
    let far: FarPath | undefined;
    if (missing) {
      ctx.say(`A far host 25 ms away needs the kit's DelayLine, and ${missing}: not shown.`);
    } else {
      ctx.say("The same over a path with 25 ms each way, every packet delayed, SYN included.");
      far = await measureFarPath(25, ctx.fast ? 3 : 7);
      ctx.event(
        "tcp client",
        `handshake done after ${round(far.tcpConnectMs, 1)} ms`,
        `first answer byte after ${round(far.tcpAnswerMs, 1)} ms (median)`,
      );
      ctx.event(
        "udp client",
        "no handshake",
        `answer after ${round(far.udpAnswerMs, 1)} ms (median)`,
      );
      ctx.metric(
        "far host: TCP answer / UDP answer",
        round(far.tcpAnswerMs / far.udpAnswerMs, 2),
        "x",
      );
    }

    await ctx.sleep(500);

    // Flow control: a receiver that does not keep up.
    ctx.say("A receiver that reads too slowly: 2,000 datagrams in one go, and 32 MB over TCP.");
    const flood = await floodUdp(2_000);
    ctx.event(
      "udp receiver",
      `${flood.received} of ${flood.sent} datagrams arrived`,
      `the kernel dropped ${flood.sent - flood.received}; the sender saw ${flood.sendErrors} errors`,
    );
    const stream = await floodTcp(32 * 1024 * 1024);
    ctx.event(
      "tcp client",
      `write() said wait after ${round(stream.acceptedBeforePushback / 1024 / 1024, 1)} MB`,
      `${round(stream.received / 1024 / 1024)} of ${round(stream.sent / 1024 / 1024)} MB arrived${stream.intact ? ", in order" : ""}`,
    );
    ctx.metric("UDP flood delivered", round((flood.received / flood.sent) * 100, 1), "%");

    ctx.table([
      {
        "": "lost (of 10,000)",
        UDP: `${udp.lost} (${percent(udp.lost, MESSAGES)})`,
        TCP: tcp.lost,
      },
      {
        "": "out of order",
        UDP: `${udp.late} (${percent(udp.late, MESSAGES)})`,
        TCP: tcp.late,
      },
      { "": "reads for 2 writes", UDP: udpWords.length, TCP: tcpWords.length },
      {
        "": "first byte, new socket",
        UDP: `${round(setup.udpFirstByteMs, 3)} ms`,
        TCP: `${round(setup.tcpFirstByteMs, 3)} ms`,
      },
      {
        "": "slow receiver",
        UDP: `${percent(flood.sent - flood.received, flood.sent)} dropped`,
        TCP: "sender told to wait, 0 dropped",
      },
    ]);

    ctx.claim(
      "UDP lost and reordered messages, exactly the ones the relay dropped and held back",
      udp.lost === relay.stats.dropped &&
        udp.late === relay.stats.reordered &&
        udp.lost > 0 &&
        udp.late > 0,
    );
    ctx.claim(`TCP delivered all ${MESSAGES} messages, once each, in order`, tcp.complete);
    ctx.claim(
      "TCP merged two writes into one read; UDP kept each datagram separate",
      tcpWords.length === 1 && udpWords.length === 2 && bigWrite.length > 1,
    );
    ctx.claim(
      "a new TCP connection's first byte arrived later than a UDP datagram's, after the handshake",
      setupRatio > 1.5 && setup.handshakeFirst === setup.trials,
    );
    if (far) {
      const roundTrip = 2 * far.oneWayMs;
      ctx.claim(
        "over a 25 ms path a new TCP connection needed two round trips for its first answer, UDP one",
        far.tcpAnswerMs >= 2 * roundTrip &&
          far.udpAnswerMs >= roundTrip &&
          far.udpAnswerMs < 1.5 * roundTrip,
      );
    }
    ctx.claim(
      "a slow receiver made UDP drop silently, while TCP pushed back and lost nothing",
      flood.received < flood.sent / 2 &&
        flood.sendErrors === 0 &&
        stream.acceptedBeforePushback > 0 &&
        stream.received === stream.sent &&
        stream.intact,
    );
  },
});
