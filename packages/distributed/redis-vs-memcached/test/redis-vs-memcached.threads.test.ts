import { describe, expect, it } from "@jest/globals";
import { services } from "@playground/kit";
import { connectMemcached, connectRedis, quitRedis } from "../src/clients.js";
import { throughputRounds, watchThreads } from "../src/throughput.js";

// We read a server's threads from /proc and change Redis's settings, so
// every test has servers of its own.
describe("threads: memcached's workers against Redis's one command thread", () => {
  /** Four connections to each server of our own, SET and GET load, and who did the work. */
  async function underLoad() {
    await using memcached = await services.memcached({ dedicated: true });
    await using redisServer = await services.redis({ dedicated: true });
    const mc = Array.from({ length: 4 }, () => connectMemcached(memcached.url));
    const redis = Array.from({ length: 4 }, () => connectRedis(redisServer.url));
    try {
      await Promise.all([...mc.map((m) => m.version()), ...redis.map((r) => r.ping())]);
      const [, threads] = await watchThreads(memcached, redis[0]!, () =>
        throughputRounds(redis, mc, { rounds: 1, total: 40_000 }),
      );
      return threads;
    } finally {
      for (const client of mc) client.shutdown();
      for (const client of redis) quitRedis(client);
    }
  }

  it("when four connections send commands, then memcached spreads the work over its worker threads", async () => {
    // Arrange, Act
    const threads = await underLoad();

    // Assert
    expect(threads.memcachedWorkers).toBeGreaterThanOrEqual(3);
  });

  it("when four connections send commands, then Redis executes them on its main thread", async () => {
    // Arrange, Act
    const threads = await underLoad();

    // Assert
    expect(threads.redisCpu).toBeGreaterThan(0);
    expect(threads.redisMainShare).toBeGreaterThan(0.9);
  });

  it("when one client runs a long script, then Redis answers every other client BUSY until it is killed", async () => {
    // Arrange
    await using server = await services.redis({ dedicated: true });
    const [runner, other] = [connectRedis(server.url), connectRedis(server.url)];
    await other.config("SET", "busy-reply-threshold", "100");

    // Act
    const script = runner.eval("while true do end", 0).then(
      () => undefined,
      (error: Error) => error,
    );
    let refusal: Error | undefined;
    for (let i = 0; i < 10_000 && !refusal; i++) {
      refusal = await other.ping().then(
        () => undefined,
        (error: Error) => error,
      );
    }
    await other.script("KILL");
    const scriptError = await script;
    const afterwards = await other.ping();
    quitRedis(runner);
    quitRedis(other);

    // Assert
    expect(refusal?.message).toMatch(/^BUSY Redis is busy running a script/);
    expect(scriptError?.message).toMatch(/Script killed by user/);
    expect(afterwards).toBe("PONG");
  });
});
