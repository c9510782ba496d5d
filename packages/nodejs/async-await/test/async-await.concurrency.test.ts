import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import {
  allAtOnce,
  finishedWhenForEachReturns,
  getText,
  oneAfterAnother,
  whoRunsFirst,
} from "../src/async-await.js";
import { type SlowServer, startSlowServer } from "../src/slow-server.js";

describe("await in sequence or all at once", () => {
  let server: SlowServer;

  beforeAll(async () => {
    server = await startSlowServer();
    await getText(`${server.origin}/slow?ms=1`); // load fetch before anything is timed
  });

  afterAll(() => server.close());

  it("when an async function reaches await, then its caller carries on before the function resumes", async () => {
    // Arrange: an async function that awaits a plain value.
    // Act
    const order = await whoRunsFirst();

    // Assert
    expect(order).toEqual(["async function starts", "caller carries on", "async function resumes"]);
  });

  it("when 8 requests of 100 ms are awaited one by one in a loop, then they take over twice as long as Promise.all of the same 8", async () => {
    // Arrange
    const urls = Array.from({ length: 8 }, (_, i) => `${server.origin}/slow?ms=100&n=${i}`);

    // Act
    let start = performance.now();
    const inTurn = await oneAfterAnother(urls);
    const inTurnMs = performance.now() - start;
    start = performance.now();
    const together = await allAtOnce(urls);
    const togetherMs = performance.now() - start;

    // Assert: same results in the same order; about 8x apart, 2x is the loose bound.
    expect(together).toEqual(inTurn);
    expect(inTurnMs / togetherMs).toBeGreaterThan(2);
  });

  it("when forEach is given an async callback, then it returns before any callback has finished", async () => {
    // Arrange
    const work = () => new Promise<void>((resolve) => setImmediate(resolve));

    // Act
    const finished = await finishedWhenForEachReturns([1, 2, 3], work);

    // Assert
    expect(finished).toBe(0);
  });
});
