import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { FlakyService } from "../src/flaky-service.js";
import { type BreakerUnderTest, callInTurn, contenders } from "./contenders.js";

describe.each(contenders)("$name", (contender) => {
  let prices: FlakyService;
  let breaker: BreakerUnderTest;

  beforeEach(async () => {
    prices = await FlakyService.start();
    breaker = contender.create({ url: prices.url, minimumCalls: 4 });
    prices.failing();
    await callInTurn(breaker, 4);
  });

  afterEach(async () => {
    breaker.dispose();
    await prices.close();
  });

  it("when openMs has passed, then exactly one of many concurrent calls reaches the dependency as a probe", async () => {
    // Arrange: open since beforeEach (opossum may already have half-opened on its timer).
    expect(breaker.state()).not.toBe("closed");
    prices.healthy();
    await breaker.coolDown();
    const hitsBefore = prices.hits;

    // Act
    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => breaker.call()));

    // Assert
    const rejected = outcomes.filter((o) => o.status === "rejected");
    expect(prices.hits - hitsBefore).toBe(1);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    expect(rejected).toHaveLength(4);
    expect(rejected.every((o) => breaker.isRejection(o.reason))).toBe(true);
  });

  it("when the probe succeeds, then the breaker closes and calls reach the dependency again", async () => {
    // Arrange
    prices.healthy();
    await breaker.coolDown();

    // Act
    const [probe] = await callInTurn(breaker, 1);
    const stateAfterProbe = breaker.state();
    const after = await callInTurn(breaker, 3);

    // Assert
    expect(probe?.status).toBe("fulfilled");
    expect(stateAfterProbe).toBe("closed");
    expect(after.every((o) => o.status === "fulfilled")).toBe(true);
    expect(prices.hits).toBe(4 + 1 + 3);
  });

  it("when the probe fails, then the breaker opens again and fails fast", async () => {
    // Arrange: still failing.
    await breaker.coolDown();

    // Act
    const [probe] = await callInTurn(breaker, 1);
    const stateAfterProbe = breaker.state();
    const [next] = await callInTurn(breaker, 1);

    // Assert
    expect(probe?.status).toBe("rejected");
    expect(stateAfterProbe).toBe("open");
    expect(next?.status === "rejected" && breaker.isRejection(next.reason)).toBe(true);
    expect(prices.hits).toBe(4 + 1);
  });
});
