import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { type PingServer, percentile, pingWhile, startPingServer } from "../src/ping.js";
import { countPrimes, wallClock } from "../src/primes.mjs";
import { type PrimeResult, primePool, type WorkerPool } from "../src/worker-threads.js";

const LIMIT = 2_000_000;

describe("CPU work on the main thread blocks the event loop", () => {
  let server: PingServer;
  let pool: WorkerPool<{ limit: number }, PrimeResult>;

  beforeAll(async () => {
    server = await startPingServer();
    pool = primePool(2);
    await pool.ready();
  });

  afterAll(async () => {
    await pool.close();
    await server.close();
  });

  it("when the main thread counts primes, then the ping server on it answers nothing until it finishes", async () => {
    // Arrange
    let blockedMs = 0;

    // Act
    const latencies = await pingWhile(server.port, () => {
      const start = wallClock();
      countPrimes(LIMIT);
      blockedMs = wallClock() - start;
    });

    // Assert: the slowest pings waited for (nearly) the whole computation.
    expect(latencies.length).toBeGreaterThan(0);
    expect(Math.max(...latencies)).toBeGreaterThan(blockedMs * 0.5);
  });

  it("when a worker pool counts the same primes, then ping p99 stays several times lower than when the main thread does", async () => {
    // Arrange
    const onMainThread = () => countPrimes(LIMIT);
    const inThePool = () => pool.run({ limit: LIMIT });

    // Act
    const blocked = percentile(await pingWhile(server.port, onMainThread), 99);
    const pooled = percentile(await pingWhile(server.port, inThePool), 99);

    // Assert
    expect(blocked / pooled).toBeGreaterThan(3);
  });
});
