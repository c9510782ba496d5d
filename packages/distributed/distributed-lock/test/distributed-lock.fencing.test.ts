import { describe, expect, it } from "@jest/globals";
import { services } from "@playground/kit";
import { pausedHolderWritesLate as story } from "../src/scenarios.js";

/** The lease story over a Redis lock with a 1 s TTL (see `pausedHolderWritesLate`). */
async function pausedHolderWritesLate(fenced: boolean) {
  await using postgres = await services.postgres();
  await using redis = await services.redis();
  return await story({
    lock: "redis",
    fenced,
    postgres: postgres.url,
    redis: redis.url,
    ttlMs: 1_000,
  });
}

// Worker processes start slowly on a loaded 2-core machine.
const SLOW = 300_000;

describe("the lease problem: a lock holder paused past its TTL", () => {
  it(
    "when the holder is paused past its TTL, then a second worker gets the lock while the first still believes it holds it",
    async () => {
      // Act
      const run = await pausedHolderWritesLate(false);

      // Assert: B got the lock with A frozen mid-work, and A then wrote anyway.
      expect(run.aWroteWhilePaused).toBe(false);
      expect(Number(run.lockedB.fence)).toBeGreaterThan(Number(run.lockedA.fence));
      expect(run.wroteA.type).toBe("wrote");
    },
    SLOW,
  );

  it(
    "when the storage ignores fencing tokens, then the paused holder's stale write overwrites the newer one",
    async () => {
      // Act
      const run = await pausedHolderWritesLate(false);

      // Assert
      expect(run.beforeWake.body).toBe("B");
      expect(run.wroteA.accepted).toBe(true);
      expect(run.after.body).toBe("A");
    },
    SLOW,
  );

  it(
    "when the storage checks fencing tokens, then the paused holder's stale write is rejected",
    async () => {
      // Act
      const run = await pausedHolderWritesLate(true);

      // Assert
      expect(run.aWroteWhilePaused).toBe(false);
      expect(run.wroteB.accepted).toBe(true);
      expect(run.wroteA.accepted).toBe(false);
      expect(run.wroteA.newestFence).toBe(run.lockedB.fence);
      expect(run.after).toEqual({ body: "B", fence: run.lockedB.fence });
    },
    SLOW,
  );
});
