import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { ChaosProxy } from "@playground/kit";
import { FlakyService } from "../src/flaky-service.js";
import { type BreakerUnderTest, callInTurn, contenders } from "./contenders.js";

// The same breakers, with the kit's TCP proxy between them and the
// dependency: the faults now happen in the network, not in the handler.
describe.each(contenders)("$name", (contender) => {
  let prices: FlakyService;
  let proxy: ChaosProxy;
  let breaker: BreakerUnderTest;

  beforeEach(async () => {
    prices = await FlakyService.start();
    proxy = await ChaosProxy.start({ host: "127.0.0.1", port: prices.port });
    breaker = contender.create({
      url: `http://127.0.0.1:${proxy.port}`,
      minimumCalls: 4,
      timeoutMs: 1000,
    });
    // One good call leaves a kept-alive connection for the faults to break.
    await callInTurn(breaker, 1);
  });

  afterEach(async () => {
    breaker.dispose();
    await proxy.close();
    await prices.close();
  });

  it("when the network resets every connection, then the calls count as failures and the breaker opens", async () => {
    // Arrange
    proxy.cut();

    // Act
    const outcomes = await callInTurn(breaker, 3);

    // Assert
    expect(outcomes.map((o) => o.status)).toEqual(["rejected", "rejected", "rejected"]);
    expect(outcomes.some((o) => o.status === "rejected" && breaker.isTimeout(o.reason))).toBe(
      false,
    );
    expect(breaker.state()).toBe("open");
    expect(prices.hits).toBe(1);
  });

  it("when the network swallows every packet, then the calls time out and the breaker opens", async () => {
    // Arrange
    proxy.blackhole();

    // Act
    const outcomes = await callInTurn(breaker, 3);

    // Assert
    expect(outcomes.every((o) => o.status === "rejected" && breaker.isTimeout(o.reason))).toBe(
      true,
    );
    expect(breaker.state()).toBe("open");
    expect(prices.hits).toBe(1);
  });

  it("when the probe itself hangs, then the timeout reopens the breaker instead of leaving it half-open", async () => {
    // Arrange
    proxy.blackhole();
    await callInTurn(breaker, 3);
    await breaker.coolDown();

    // Act
    const [probe] = await callInTurn(breaker, 1);

    // Assert
    expect(probe?.status === "rejected" && breaker.isTimeout(probe.reason)).toBe(true);
    expect(breaker.state()).toBe("open");
  });

  it("when the network heals, then the next probe closes the breaker", async () => {
    // Arrange
    proxy.cut();
    await callInTurn(breaker, 3);
    expect(breaker.state()).toBe("open");

    // Act
    proxy.restore();
    await breaker.coolDown();
    const outcomes = await callInTurn(breaker, 3);

    // Assert
    expect(outcomes.every((o) => o.status === "fulfilled")).toBe(true);
    expect(breaker.state()).toBe("closed");
    expect(prices.hits).toBe(1 + 3);
  });
});
