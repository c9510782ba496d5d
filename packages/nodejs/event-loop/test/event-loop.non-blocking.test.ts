import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { measureBlockedLoop, oneThenMany } from "../src/non-blocking.js";
import { type SlowServer, startSlowServer } from "../src/slow-server.js";

describe("one thread, non-blocking I/O", () => {
  let slow: SlowServer;
  let quick: SlowServer;

  beforeAll(async () => {
    slow = await startSlowServer(100);
    quick = await startSlowServer(5);
  });

  afterAll(async () => {
    await slow.close();
    await quick.close();
  });

  it("when 100 requests each wait 100 ms on real sockets at once, then together they take less than 10 times one", async () => {
    // Arrange: `slow` answers every request after 100 ms.
    // Act
    const result = await oneThenMany(slow, 100);

    // Assert: about 1x one request, nowhere near the 100x of waiting in turn.
    expect(result.ratio).toBeLessThan(10);
    // And the server really held many requests at the same moment.
    expect(result.maxInFlight).toBeGreaterThan(10);
  });

  it("when the thread spins for 500 ms, then a 10 ms timer, a 5 ms request and the loop-delay monitor all wait for the spin", async () => {
    // Arrange
    const blockMs = 500;

    // Act
    const result = await measureBlockedLoop(quick, blockMs);

    // Assert: nothing ran during the spin; the monitor saw most of it as delay.
    expect(result.timerMs / result.blockedMs).toBeGreaterThanOrEqual(1);
    expect(result.requestMs / result.blockedMs).toBeGreaterThanOrEqual(1);
    expect(result.maxDelayMs / result.blockedMs).toBeGreaterThanOrEqual(0.5);
  });
});
