import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { FlakyService } from "../src/flaky-service.js";
import { type BreakerUnderTest, contenders } from "./contenders.js";

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timed(call: () => Promise<unknown>): Promise<{ ms: number; error: unknown }> {
  const start = performance.now();
  const error = await call().then(
    () => undefined,
    (reason: unknown) => reason,
  );
  return { ms: performance.now() - start, error };
}

describe.each(contenders)("$name", (contender) => {
  let prices: FlakyService;
  let breaker: BreakerUnderTest;

  beforeEach(async () => {
    prices = await FlakyService.start();
  });

  afterEach(async () => {
    breaker.dispose();
    await prices.close();
  });

  it("when the breaker is open, then calls fail fast without touching the dependency", async () => {
    // Arrange: a dependency slower than the timeout, so closed calls wait it out.
    const timeoutMs = 100;
    breaker = contender.create({ url: prices.url, minimumCalls: 4, timeoutMs, openMs: 60_000 });
    prices.slow(timeoutMs * 20);
    const whileClosed: number[] = [];
    for (let i = 0; i < 4; i++) whileClosed.push((await timed(() => breaker.call())).ms);
    const hitsWhenOpened = prices.hits;

    // Act
    const whileOpen: { ms: number; error: unknown }[] = [];
    for (let i = 0; i < 20; i++) whileOpen.push(await timed(() => breaker.call()));

    // Assert
    expect(breaker.state()).toBe("open");
    expect(whileOpen.every(({ error }) => breaker.isRejection(error))).toBe(true);
    expect(prices.hits).toBe(hitsWhenOpened);
    const speedUp = median(whileClosed) / median(whileOpen.map(({ ms }) => ms));
    expect(speedUp).toBeGreaterThan(10);
  });
});
