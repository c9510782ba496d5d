import { defineDemo } from "@playground/kit";
import { farPathMissing, measureFarPath } from "./far-path.js";
import { LossyUdpRelay } from "./lossy-relay.js";
import { measureSetupCost } from "./setup-cost.js";
import { analyse, receiveUdp, sendOverUdp } from "./tcp-vs-udp.js";

const MESSAGES = 10_000;
const SEEDS = [1, 2, 3, 4, 5];
const ROUNDS = 3;
const TRIALS = 500;

/**
 * `pnpm bench tcp-vs-udp`: loss and reordering across seeds, setup cost over
 * many trials, and a new connection's round trips to a far host.
 */
export default defineDemo({
  title: "TCP vs UDP: loss across seeds, setup cost",
  services: [],
  async run(ctx) {
    ctx.say(
      `${MESSAGES.toLocaleString("en")} datagrams through the relay (5% drop, 3% reorder) ` +
        `with ${SEEDS.length} seeds.`,
    );
    const lossRows = [];
    for (const seed of SEEDS) {
      const receiver = await receiveUdp();
      const relay = await LossyUdpRelay.start(
        { port: receiver.port },
        { dropRate: 0.05, reorderRate: 0.03, seed },
      );
      const start = performance.now();
      await sendOverUdp(relay.port, MESSAGES, (sent) =>
        relay.until(() => relay.stats.seen >= sent),
      );
      relay.flush();
      await receiver.until(() => receiver.arrivals.length >= relay.stats.forwarded, 10_000);
      const ms = performance.now() - start;
      const delivery = analyse(receiver.arrivals, MESSAGES);
      lossRows.push({
        seed,
        lost: delivery.lost,
        "out of order": delivery.late,
        "matches relay":
          delivery.lost === relay.stats.dropped && delivery.late === relay.stats.reordered,
        ms: Math.round(ms),
      });
      await relay.close();
      await receiver.close();
      ctx.signal.throwIfAborted();
    }
    ctx.table(lossRows);

    ctx.say(
      `First byte of a new TCP connection against a new UDP socket: ${ROUNDS} rounds of ${TRIALS} trials.`,
    );
    const setupRows = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const cost = await measureSetupCost(TRIALS);
      setupRows.push({
        round,
        "TCP handshake ms": Number(cost.tcpHandshakeMs.toFixed(3)),
        "TCP first byte ms": Number(cost.tcpFirstByteMs.toFixed(3)),
        "UDP first byte ms": Number(cost.udpFirstByteMs.toFixed(3)),
        ratio: Number((cost.tcpFirstByteMs / cost.udpFirstByteMs).toFixed(2)),
      });
      ctx.signal.throwIfAborted();
    }
    ctx.table(setupRows);

    const missing = farPathMissing();
    if (missing) {
      ctx.say(`A far host needs the kit's DelayLine, and ${missing}: not measured.`);
      return;
    }
    ctx.say("A question to a far host, new socket each time: 10 trials at each one-way delay.");
    const farRows = [];
    for (const oneWayMs of [5, 25, 50]) {
      const far = await measureFarPath(oneWayMs, 10);
      farRows.push({
        "one way ms": oneWayMs,
        "TCP handshake ms": Number(far.tcpConnectMs.toFixed(1)),
        "TCP answer ms": Number(far.tcpAnswerMs.toFixed(1)),
        "UDP answer ms": Number(far.udpAnswerMs.toFixed(1)),
        "TCP ÷ UDP": Number((far.tcpAnswerMs / far.udpAnswerMs).toFixed(2)),
      });
      ctx.signal.throwIfAborted();
    }
    ctx.table(farRows);
  },
});
