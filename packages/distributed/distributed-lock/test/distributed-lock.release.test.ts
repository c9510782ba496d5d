import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { type ServiceHandle, services } from "@playground/kit";
import { Redis } from "ioredis";
import { uniqueName } from "../src/counter-race.js";
import { RedisLock } from "../src/distributed-lock.js";

// Three clients on their own connections, as three processes would be. A's
// lease is short and runs out while it "works"; B takes the lock after it.
describe("releasing a Redis lock", () => {
  let redis: ServiceHandle;
  let clients: Redis[];
  let key: string;

  beforeEach(async () => {
    redis = await services.redis();
    clients = [new Redis(redis.url), new Redis(redis.url), new Redis(redis.url)];
    key = uniqueName("release");
  });

  afterEach(async () => {
    for (const client of clients) client.disconnect();
    await redis[Symbol.asyncDispose]();
  });

  async function aOverrunsAndBTakesOver() {
    const [a, , c] = clients.map((client) => new RedisLock(client, key, { ttlMs: 100 }));
    const leaseA = (await a!.tryAcquire())!;
    // B polls until A's 100 ms lease has run out in Redis.
    const leaseB = await new RedisLock(clients[1]!, key, { ttlMs: 30_000 }).acquire();
    return { a: a!, c: c!, leaseA, leaseB };
  }

  it("when a holder whose lease expired releases with a plain DEL, then it deletes the next holder's lock", async () => {
    // Arrange
    const { a, c, leaseA, leaseB } = await aOverrunsAndBTakesOver();

    // Act
    const deleted = await a.releaseNaively(leaseA);
    const leaseC = await c.tryAcquire();

    // Assert: B never released, yet C holds the lock too.
    expect(deleted).toBe(true);
    expect(leaseC).toBeDefined();
    expect(await clients[0]!.get(key)).not.toBe(leaseB.token);
  });

  it("when it releases with the Lua compare-and-delete, then the next holder's lock survives", async () => {
    // Arrange
    const { a, c, leaseA, leaseB } = await aOverrunsAndBTakesOver();

    // Act
    const released = await a.release(leaseA);
    const leaseC = await c.tryAcquire();

    // Assert
    expect(released).toBe(false);
    expect(leaseC).toBeUndefined();
    expect(await clients[0]!.get(key)).toBe(leaseB.token);
  });

  it("when the lock is taken, then each grant carries a larger fencing token than the last", async () => {
    // Arrange
    const lock = new RedisLock(clients[0]!, key);
    const fences: number[] = [];

    // Act
    for (let i = 0; i < 5; i++) {
      const lease = await lock.acquire();
      fences.push(lease.fence);
      await lock.release(lease);
    }

    // Assert
    expect(fences).toEqual([1, 2, 3, 4, 5]);
  });
});
