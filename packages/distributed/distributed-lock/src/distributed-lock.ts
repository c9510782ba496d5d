import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { Redis } from "ioredis";

// A distributed lock lets one process at a time, among many on many
// machines, touch a shared resource. The simplest one that is correct
// as far as it goes is a single Redis key: whoever creates it holds the
// lock, and it disappears by itself after a time-to-live (TTL), so a
// holder that crashes cannot block everyone for ever.

// Taking the lock is one command: `SET key token NX PX ttl`. `NX` makes it
// "create only if absent", so two clients can never both succeed; `PX`
// attaches the TTL in the same step, so there is no moment where the key
// exists without one. The `token` is random and says *who* holds it.
//
// We also `INCR` a second key that never expires, in the same Lua script,
// and hand the result out as a **fencing token**: every grant of this lock
// gets a number larger than the one before. The TTL is what makes the lock
// unsafe (below); the fencing token is what lets the storage notice.
const ACQUIRE = `
if redis.call("SET", KEYS[1], ARGV[1], "NX", "PX", ARGV[2]) then
  return redis.call("INCR", KEYS[2])
end
return 0
`;

// Releasing must delete the key only if it is still *ours*. Our TTL may
// have run out while we worked, and someone else may hold the lock now
// under the same key. `GET` then `DEL` from the client would race with
// that, so the comparison and the delete run together, in Lua, which
// Redis executes without interleaving other commands.
const RELEASE = `
if redis.call("GET", KEYS[1]) == ARGV[1] then
  return redis.call("DEL", KEYS[1])
end
return 0
`;

/** One grant of the lock: who holds it, until when, and its fencing token. */
export interface Lease {
  readonly key: string;
  /** Random, unique to this grant: proves ownership on release. */
  readonly token: string;
  /** Grows with every grant of this key: the storage rejects smaller ones. */
  readonly fence: number;
  readonly ttlMs: number;
}

export interface RedisLockOptions {
  /** How long a grant lasts if its holder never releases it. Default 10 000. */
  ttlMs?: number;
  /** How long `acquire` keeps trying before it gives up. Default 10 000. */
  waitMs?: number;
  /** Pause between attempts while someone else holds it: 1 ms to this, at random. Default 5. */
  retryMs?: number;
}

/** The lock could not be had within `waitMs`. */
export class LockTimeoutError extends Error {
  override name = "LockTimeoutError";

  constructor(
    readonly key: string,
    readonly waitMs: number,
  ) {
    super(
      `Lock "${key}" is still held by someone else after ${waitMs} ms: gave up. ` +
        "Retry later, or raise waitMs if holders are expected to keep it this long.",
    );
  }
}

/** A lock on one Redis key: `SET NX PX` to take it, compare-and-delete to give it back. */
export class RedisLock {
  readonly #ttlMs: number;
  readonly #waitMs: number;
  readonly #retryMs: number;

  constructor(
    private readonly redis: Redis,
    readonly key: string,
    { ttlMs = 10_000, waitMs = 10_000, retryMs = 5 }: RedisLockOptions = {},
  ) {
    this.#ttlMs = ttlMs;
    this.#waitMs = waitMs;
    this.#retryMs = retryMs;
  }

  /** One attempt: the lease if the key was free, else undefined. */
  async tryAcquire(): Promise<Lease | undefined> {
    const token = randomUUID();
    const fenceKey = `${this.key}:fence`;
    const fence = Number(await this.redis.eval(ACQUIRE, 2, this.key, fenceKey, token, this.#ttlMs));
    if (fence === 0) return undefined;
    return { key: this.key, token, fence, ttlMs: this.#ttlMs };
  }

  // Waiting is polling: Redis will not tell us when the key goes away (we
  // could subscribe to keyspace events, at the cost of a second connection).
  // A random pause between attempts keeps the waiters from retrying in
  // lockstep and hammering Redis together.
  /** Tries until the lock is ours or `waitMs` has passed ({@link LockTimeoutError}). */
  async acquire(): Promise<Lease> {
    const deadline = performance.now() + this.#waitMs;
    for (;;) {
      const lease = await this.tryAcquire();
      if (lease) return lease;
      if (performance.now() > deadline) throw new LockTimeoutError(this.key, this.#waitMs);
      await sleep(1 + Math.random() * (this.#retryMs - 1));
    }
  }

  /** Gives the lock back if it is still ours. False: it had expired, and may be someone else's. */
  async release(lease: Lease): Promise<boolean> {
    return Number(await this.redis.eval(RELEASE, 1, lease.key, lease.token)) === 1;
  }

  /**
   * The release most first attempts write: a plain `DEL`. If our lease has
   * expired, it deletes whoever holds the lock now. Kept for the proof.
   */
  async releaseNaively(lease: Lease): Promise<boolean> {
    return (await this.redis.del(lease.key)) === 1;
  }

  /** Runs `work` while holding the lock, and releases it however `work` ends. */
  async withLock<T>(work: (lease: Lease) => Promise<T>): Promise<T> {
    const lease = await this.acquire();
    try {
      return await work(lease);
    } finally {
      await this.release(lease);
    }
  }
}

// What the TTL costs us. The lock is a *lease*: Redis forgets it after
// `ttlMs` whether or not its holder is done. A holder that is paused (a GC
// pause, a swapped-out page, a descheduled VM) past its TTL wakes up
// believing it still holds the lock, while someone else does. No check
// before writing closes that gap, because the pause can fall between the
// check and the write. Only the storage can refuse the late write: see
// `fenced-store.ts`, and Martin Kleppmann, "How to do distributed locking"
// (2016).
