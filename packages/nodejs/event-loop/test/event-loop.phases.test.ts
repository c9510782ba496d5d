import { describe, expect, it } from "@jest/globals";
import { orderBetweenTwoImmediates, orderFromIoCallback } from "../src/event-loop.js";
import { outcomeOf, raceManyTimes } from "../src/timer-race.js";

describe("the phases of the event loop", () => {
  it("when an I/O callback schedules a zero timeout, an immediate, a promise and a nextTick, then they run as nextTick, promise, immediate, timeout", async () => {
    // Arrange: the four callbacks are scheduled inside a readFile callback.
    // Act
    const order = await orderFromIoCallback();

    // Assert
    expect(order).toEqual(["nextTick", "promise", "setImmediate", "setTimeout 0"]);
  });

  it("when two immediates share a check phase, then the nextTick and promise of the first run before the second", async () => {
    // Arrange: both immediates are queued before the loop reaches check.
    // Act
    const order = await orderBetweenTwoImmediates();

    // Assert: the microtask queues are drained between callbacks, not in a phase.
    expect(order).toEqual(["immediate 1", "nextTick from 1", "promise from 1", "immediate 2"]);
  });

  it("when 50 fresh processes race a zero timeout against an immediate from the main module, then each prints one of the two orders", async () => {
    // Arrange
    const runs = 50;

    // Act
    const tally = await raceManyTimes(runs);

    // Assert: every run is valid, and the two orders account for all of them.
    // Which order wins how often depends on the machine, so we do not assert it.
    expect(tally.outputs.filter((output) => outcomeOf(output) === undefined)).toEqual([]);
    expect(tally.timeoutFirst + tally.immediateFirst).toBe(runs);
  });
});
