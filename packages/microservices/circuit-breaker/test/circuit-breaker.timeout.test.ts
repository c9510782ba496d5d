import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { FlakyService } from "../src/flaky-service.js";
import { type BreakerUnderTest, contenders } from "./contenders.js";

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

  it("when a call is slower than the timeout, then it is aborted at the dependency and counts as a failure", async () => {
    // Arrange
    const timeoutMs = 100;
    const delayMs = timeoutMs * 30;
    breaker = contender.create({ url: prices.url, minimumCalls: 4, timeoutMs, openMs: 60_000 });
    prices.slow(delayMs);

    // Act
    const errors: unknown[] = [];
    const started = performance.now();
    for (let i = 0; i < 4; i++) errors.push(await breaker.call().catch((e: unknown) => e));
    const perCall = (performance.now() - started) / 4;
    await prices.until(() => prices.abandoned === prices.hits);

    // Assert
    expect(errors.every((e) => breaker.isTimeout(e))).toBe(true);
    expect(perCall / delayMs).toBeLessThan(0.5);
    expect(prices.hits).toBeGreaterThan(0);
    expect(prices.abandoned).toBe(prices.hits);
    expect(breaker.state()).toBe("open");
  });
});
