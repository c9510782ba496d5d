import { describe, expect, it } from "@jest/globals";
import { measureFarPath } from "../src/far-path.js";
import { measureSetupCost } from "../src/setup-cost.js";

describe("setup cost", () => {
  it("when every message needs a new socket, then TCP's first byte arrives later than UDP's, after the handshake", async () => {
    // Arrange
    const trials = 100;

    // Act
    const cost = await measureSetupCost(trials);

    // Assert: measured here about 2.6x; we ask for 1.5x.
    expect(cost.handshakeFirst).toBe(trials);
    expect(cost.tcpFirstByteMs / cost.udpFirstByteMs).toBeGreaterThan(1.5);
  });
});

describe("setup cost over a path with real latency", () => {
  it("when the far host is 25 ms away each way, then a new TCP connection's first answer takes two round trips and a UDP datagram's one", async () => {
    // Arrange: a DelayLine delays every packet, SYN and SYN-ACK included.
    const oneWayMs = 25;
    const roundTrip = 2 * oneWayMs;

    // Act
    const path = await measureFarPath(oneWayMs, 5);

    // Assert: a packet never beats the line, so the lower bounds are exact
    // physics; the upper ones leave room for a busy machine.
    expect(path.udpAnswerMs / roundTrip).toBeGreaterThanOrEqual(1);
    expect(path.udpAnswerMs / roundTrip).toBeLessThan(1.5);
    expect(path.tcpConnectMs / roundTrip).toBeGreaterThanOrEqual(1);
    expect(path.tcpConnectMs / roundTrip).toBeLessThan(1.5);
    expect(path.tcpAnswerMs / roundTrip).toBeGreaterThanOrEqual(2);
    expect(path.tcpAnswerMs / path.udpAnswerMs).toBeGreaterThan(1.6);
    expect(path.tcpAnswerMs / path.udpAnswerMs).toBeLessThan(2.5);
  });
});
