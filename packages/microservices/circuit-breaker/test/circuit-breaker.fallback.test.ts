import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { FlakyService, type Price } from "../src/flaky-service.js";
import { type BreakerUnderTest, callInTurn, contenders } from "./contenders.js";

const lastKnownPrice: Price = { sku: "sku-1", price: 40 };

describe.each(contenders)("$name", (contender) => {
  let prices: FlakyService;
  let breaker: BreakerUnderTest;
  let fallbackErrors: Error[];

  beforeEach(async () => {
    prices = await FlakyService.start();
    fallbackErrors = [];
    breaker = contender.create({
      url: prices.url,
      minimumCalls: 4,
      openMs: 60_000,
      fallback: (error) => {
        fallbackErrors.push(error);
        return lastKnownPrice;
      },
    });
  });

  afterEach(async () => {
    breaker.dispose();
    await prices.close();
  });

  it("when a call fails, then the fallback is served instead of the error", async () => {
    // Arrange
    prices.failing();

    // Act
    const outcomes = await callInTurn(breaker, 3);

    // Assert
    expect(outcomes).toEqual(Array(3).fill({ status: "fulfilled", value: lastKnownPrice }));
    expect(fallbackErrors).toHaveLength(3);
    expect(fallbackErrors.some((e) => breaker.isRejection(e))).toBe(false);
    expect(prices.hits).toBe(3);
  });

  it("when the breaker is open, then the fallback is served without calling the dependency", async () => {
    // Arrange
    prices.failing();
    await callInTurn(breaker, 4);
    expect(breaker.state()).toBe("open");

    // Act
    const outcomes = await callInTurn(breaker, 5);

    // Assert
    expect(outcomes).toEqual(Array(5).fill({ status: "fulfilled", value: lastKnownPrice }));
    expect(fallbackErrors.slice(4).every((e) => breaker.isRejection(e))).toBe(true);
    expect(prices.hits).toBe(4);
  });
});
