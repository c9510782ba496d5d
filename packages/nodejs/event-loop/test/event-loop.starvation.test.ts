import { describe, expect, it } from "@jest/globals";
import { starveIo } from "../src/event-loop.js";

describe("starving the loop", () => {
  it("when nextTick reschedules itself 10000 times, then ready socket data is read only after the last one", async () => {
    // Arrange
    const limit = 10_000;

    // Act
    const result = await starveIo("nextTick", limit);

    // Assert: all 10000 ran first; the loop never reached the poll phase.
    expect(result.callbacksBeforeIo).toBe(limit);
  });

  it("when queueMicrotask reschedules itself 10000 times, then ready socket data is read only after the last one", async () => {
    // Arrange
    const limit = 10_000;

    // Act
    const result = await starveIo("queueMicrotask", limit);

    // Assert: a promise chain that never ends starves I/O just the same.
    expect(result.callbacksBeforeIo).toBe(limit);
  });

  it("when setImmediate reschedules itself, then ready socket data is read in between", async () => {
    // Arrange
    const limit = 10_000;

    // Act
    const result = await starveIo("setImmediate", limit);

    // Assert: poll came round between two immediates, long before the limit.
    expect(result.callbacksBeforeIo).toBeLessThan(limit);
  });
});
