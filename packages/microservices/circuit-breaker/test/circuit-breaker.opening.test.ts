import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { FlakyService } from "../src/flaky-service.js";
import { type BreakerUnderTest, callInTurn, contenders } from "./contenders.js";

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

  it("when fewer than minimumCalls calls have been made, then even a 100% failure rate leaves the breaker closed", async () => {
    // Arrange
    breaker = contender.create({ url: prices.url, minimumCalls: 4, failureRate: 0.5 });
    prices.failing();

    // Act
    const firstThree = await callInTurn(breaker, 3);
    const stateAfterThree = breaker.state();
    const fourth = await callInTurn(breaker, 1);

    // Assert
    expect(firstThree.map((o) => o.status)).toEqual(["rejected", "rejected", "rejected"]);
    expect(stateAfterThree).toBe("closed");
    expect(fourth[0]?.status).toBe("rejected");
    expect(breaker.state()).toBe("open");
    expect(prices.hits).toBe(4);
  });

  it("when the failure rate in the window stays below the threshold, then the breaker stays closed", async () => {
    // Arrange: 4 failures in 11 calls, never 50% once there are 4 calls.
    breaker = contender.create({ url: prices.url, minimumCalls: 4, failureRate: 0.5 });
    const pattern = "SFSSFSSFSSF";
    const failed: boolean[] = [];

    // Act
    for (const outcome of pattern) {
      if (outcome === "F") prices.failing();
      else prices.healthy();
      failed.push((await callInTurn(breaker, 1))[0]?.status === "rejected");
    }

    // Assert
    expect(failed.filter(Boolean)).toHaveLength(4);
    expect(breaker.state()).toBe("closed");
    expect(prices.hits).toBe(pattern.length);
  });

  it("when failures slide out of the window, then they no longer count towards opening", async () => {
    // Arrange
    breaker = contender.create({
      url: prices.url,
      minimumCalls: 4,
      failureRate: 0.5,
      windowMs: 1_000,
    });
    prices.failing();
    await callInTurn(breaker, 3);

    // Act
    await breaker.forgetWindow();
    await callInTurn(breaker, 1);
    const stateWithOneRecentFailure = breaker.state();
    await callInTurn(breaker, 3);

    // Assert
    expect(stateWithOneRecentFailure).toBe("closed");
    expect(breaker.state()).toBe("open");
    expect(prices.hits).toBe(7);
  });
});
