import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import OpossumBreaker from "opossum";
import { FlakyService, type Price } from "../src/flaky-service.js";
import { getPrice } from "../src/price-client.js";
import { type BreakerUnderTest, callInTurn, opossum, ours } from "./contenders.js";

// Where opossum and our breaker part ways. The shared spec avoids these
// cases; here each difference the README describes is pinned down.
describe("opossum, compared", () => {
  let prices: FlakyService;
  let made: { dispose(): void }[];

  beforeEach(async () => {
    prices = await FlakyService.start();
    made = [];
  });

  afterEach(async () => {
    for (const breaker of made) breaker.dispose();
    await prices.close();
  });

  const bothBreakers = (): BreakerUnderTest[] => {
    const breakers = [ours, opossum].map((c) =>
      c.create({ url: prices.url, minimumCalls: 4, failureRate: 0.5 }),
    );
    made.push(...breakers);
    return breakers;
  };

  it("when exactly half the calls in the window fail, then ours opens but opossum stays closed", async () => {
    // Arrange
    const breakers = bothBreakers();

    // Act
    for (const breaker of breakers) {
      prices.healthy();
      await callInTurn(breaker, 2);
      prices.failing();
      await callInTurn(breaker, 2);
    }

    // Assert
    expect(breakers.map((b) => b.state())).toEqual(["open", "closed"]);
  });

  it("when the breaker has just closed after an outage, then one failure reopens opossum but not ours", async () => {
    // Arrange: open each breaker with 4 failures, then close it with a good probe.
    const breakers = bothBreakers();
    for (const breaker of breakers) {
      prices.failing();
      await callInTurn(breaker, 4);
      prices.healthy();
      await breaker.coolDown();
      await callInTurn(breaker, 1);
    }
    const statesAfterProbe = breakers.map((b) => b.state());

    // Act
    prices.failing();
    for (const breaker of breakers) await callInTurn(breaker, 1);

    // Assert
    expect(statesAfterProbe).toEqual(["closed", "closed"]);
    expect(breakers.map((b) => b.state())).toEqual(["closed", "open"]);
  });

  it("when one call times out, then opossum's shared abortController aborts the other calls in flight and the calls after them", async () => {
    // Arrange: opossum's own option, one AbortController for the whole breaker.
    const controller = new AbortController();
    const breaker = new OpossumBreaker(
      (sku: string): Promise<Price> => getPrice(prices.url, sku, controller.signal),
      { timeout: 200, volumeThreshold: 100, abortController: controller },
    );
    made.push({ dispose: () => breaker.shutdown() });
    prices.slow(60_000);
    const first = breaker.fire("first").catch((e: unknown) => e);
    await prices.until(() => prices.hits === 1);

    // Act: a second call starts later, so its own timeout is still far off.
    const second = breaker.fire("second").catch((e: unknown) => e);
    const [firstError, secondError] = await Promise.all([first, second]);
    const third = await breaker.fire("third").catch((e: unknown) => e);

    // Assert
    expect(firstError).toMatchObject({ code: "ETIMEDOUT" });
    expect(secondError).toMatchObject({ name: "AbortError" });
    expect(third).toMatchObject({ name: "AbortError" });
    expect(breaker.closed).toBe(true);
    expect(prices.hits).toBe(2);
  });
});
