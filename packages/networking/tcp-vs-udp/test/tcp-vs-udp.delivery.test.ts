import { describe, expect, it } from "@jest/globals";
import { ChaosProxy } from "@playground/kit";
import { LossyUdpRelay, type RelayFaults } from "../src/lossy-relay.js";
import { analyse, receiveTcp, receiveUdp, sendOverTcp, sendOverUdp } from "../src/tcp-vs-udp.js";

const MESSAGES = 10_000;

/** Sends MESSAGES numbered datagrams through a fresh relay; returns what arrived and what it did. */
async function throughLossyRelay(faults: RelayFaults) {
  const receiver = await receiveUdp();
  const relay = await LossyUdpRelay.start({ port: receiver.port }, faults);
  try {
    await sendOverUdp(relay.port, MESSAGES, (sent) => relay.until(() => relay.stats.seen >= sent));
    relay.flush();
    await receiver.until(() => receiver.arrivals.length >= relay.stats.forwarded, 10_000);
    return { arrivals: [...receiver.arrivals], relay: { ...relay.stats } };
  } finally {
    await relay.close();
    await receiver.close();
  }
}

describe("delivery over UDP", () => {
  it("when 10,000 numbered datagrams cross a relay that drops 5% and reorders 3%, then the receiver counts exactly the losses and reorderings the relay made", async () => {
    // Arrange
    const faults = { dropRate: 0.05, reorderRate: 0.03, seed: 1 };

    // Act
    const { arrivals, relay } = await throughLossyRelay(faults);

    // Assert
    const delivery = analyse(arrivals, MESSAGES);
    expect(delivery.complete).toBe(false);
    expect(delivery.lost).toBe(relay.dropped);
    expect(delivery.late).toBe(relay.reordered);
    expect(delivery.lost / MESSAGES).toBeGreaterThan(0.03);
    expect(delivery.lost / MESSAGES).toBeLessThan(0.07);
    expect(delivery.late / MESSAGES).toBeGreaterThan(0.01);
    expect(delivery.duplicates).toBe(0);
  });

  it("when the lossy relay runs twice with the same seed, then the same datagrams are lost and arrive late", async () => {
    // Arrange
    const faults = { dropRate: 0.05, reorderRate: 0.03, seed: 7 };
    const missing = (arrivals: number[]) => {
      const seen = new Set(arrivals);
      return Array.from({ length: MESSAGES }, (_, seq) => seq).filter((seq) => !seen.has(seq));
    };

    // Act
    const first = await throughLossyRelay(faults);
    const second = await throughLossyRelay(faults);

    // Assert
    expect(missing(second.arrivals)).toEqual(missing(first.arrivals));
    expect(second.arrivals).toEqual(first.arrivals);
    expect(missing(first.arrivals).length).toBeGreaterThan(0);
  });
});

describe("delivery over TCP", () => {
  it("when 10,000 numbered messages cross the kit's TCP proxy with 20 ms of latency, then every one arrives, once, in order", async () => {
    // Arrange: loopback never drops a TCP segment, so the path is slow, not
    // lossy; on a lossy one the kernel would retransmit and the receiver
    // would see the same thing, later.
    const receiver = await receiveTcp();
    const proxy = await ChaosProxy.start({ host: "127.0.0.1", port: receiver.port });
    proxy.latency(20);

    try {
      // Act
      await sendOverTcp(proxy.port, MESSAGES);
      await receiver.until(() => receiver.arrivals.length >= MESSAGES, 10_000);

      // Assert
      const delivery = analyse(receiver.arrivals, MESSAGES);
      expect(delivery).toEqual({
        sent: MESSAGES,
        received: MESSAGES,
        lost: 0,
        late: 0,
        duplicates: 0,
        complete: true,
      });
      expect(proxy.stats.bytesUp).toBe(MESSAGES * 4);
    } finally {
      await proxy.close();
      await receiver.close();
    }
  });
});
