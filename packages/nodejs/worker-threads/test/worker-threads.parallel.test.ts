import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { type PingServer, percentile, pingWhile, startPingServer } from "../src/ping.js";
import { countPrimes } from "../src/primes.mjs";
import { type PrimeResult, primePool, WorkerPool } from "../src/worker-threads.js";

const LIMIT = 2_000_000;

describe("a pool of worker threads runs tasks in parallel", () => {
  let server: PingServer;

  beforeAll(async () => {
    server = await startPingServer();
  });

  afterAll(async () => {
    await server.close();
  });

  it("when two workers each get a task at once, then their busy intervals overlap in wall time", async () => {
    // Arrange
    await using pool = primePool(2);
    await pool.ready();

    // Act
    const [a, b] = await Promise.all([pool.run({ limit: LIMIT }), pool.run({ limit: LIMIT })]);

    // Assert: two threads, both busy at the same moment, with the right answer.
    expect(a!.threadId).not.toBe(b!.threadId);
    const overlapStart = Math.max(a!.startedAt, b!.startedAt);
    const overlapEnd = Math.min(a!.endedAt, b!.endedAt);
    expect(overlapEnd).toBeGreaterThan(overlapStart);
    expect([a!.primes, b!.primes]).toEqual([countPrimes(LIMIT), countPrimes(LIMIT)]);
  });

  it("when two workers compute, then the main thread keeps answering pings meanwhile", async () => {
    // Arrange
    await using pool = primePool(2);
    await pool.ready();
    let results: PrimeResult[] = [];

    // Act
    const latencies = await pingWhile(server.port, async () => {
      results = await Promise.all([pool.run({ limit: LIMIT }), pool.run({ limit: LIMIT })]);
    });

    // Assert: nine pings in ten wait far less than one task takes. (Were the
    // main thread computing, nine in ten would wait most of a task.)
    const shortestTask = Math.min(...results.map((r) => r.endedAt - r.startedAt));
    expect(percentile(latencies, 90)).toBeLessThan(shortestTask / 2);
  });

  it("when more tasks than workers are queued, then every task completes on one of the pool's threads", async () => {
    // Arrange
    await using pool = primePool(2);
    const limits = [1_000, 2_000, 3_000, 4_000, 5_000, 6_000];

    // Act
    const results = await Promise.all(limits.map((limit) => pool.run({ limit })));

    // Assert
    expect(results.map((r) => r.primes)).toEqual(limits.map((l) => countPrimes(l)));
    expect(new Set(results.map((r) => r.threadId)).size).toBeLessThanOrEqual(2);
  });

  it("when a task throws in its worker, then only that task fails and the pool keeps working", async () => {
    // Arrange
    await using pool = new WorkerPool<string, string>(
      new URL("../fixtures/throwing-worker.mjs", import.meta.url),
      1,
    );

    // Act
    const failed = pool.run("throw");
    const after = pool.run("echo");

    // Assert
    await expect(failed).rejects.toThrow("asked to throw");
    await expect(after).resolves.toBe("echo");
  });
});
