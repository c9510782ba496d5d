import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { Redis } from "ioredis";
import type { CacheAsideOptions, CacheStats } from "./distributed-cache.js";

// Leases, after Facebook's "Scaling Memcache at Facebook" (NSDI 2013),
// built here on Redis. A read that misses may get a *lease*: a token
// that alone allows it to fill that key. Two problems of plain
// cache-aside go away with it:
//
// - stale sets: a write deletes the lease with the value, so a slow
//   reader that loaded the old row is refused when it tries to store it;
// - stampedes: only the lease holder goes to the database; everyone else
//   who misses meanwhile waits a moment and reads the cache again, on
//   every instance, not only in one process.

// The miss and the lease must be one step. If a reader could see "no
// value" and then take a lease in a second command, the holder's fill
// could land in between, and the reader would load the row a second time.
// So one Lua script, which Redis runs without interleaving, answers with
// the value, or a new lease, or "someone else holds it: wait".
const GET_OR_LEASE = `
local value = redis.call("GET", KEYS[1])
if value then return {"value", value} end
if redis.call("SET", KEYS[2], ARGV[1], "NX", "PX", ARGV[2]) then return {"lease"} end
return {"wait"}
`;

// The fill is a compare-and-set on the lease: only the token we were
// given, and only if no write has deleted it since, may store the value.
const FILL_WITH_LEASE = `
if redis.call("GET", KEYS[2]) ~= ARGV[1] then return 0 end
redis.call("SET", KEYS[1], ARGV[2], "EX", ARGV[3])
redis.call("DEL", KEYS[2])
return 1
`;

export interface LeaseOptions extends Omit<CacheAsideOptions, "singleFlight"> {
  /** How long a lease lasts if its holder never fills: a crashed holder blocks no one longer. */
  leaseMs?: number;
  /** How long a reader who found the lease taken waits before looking again. */
  retryMs?: number;
}

/** Cache-aside on Redis in which only the holder of a lease may fill a key. */
export class LeasedCache<T> {
  readonly stats: CacheStats & { waits: number; refusedFills: number } = {
    hits: 0,
    misses: 0,
    loads: 0,
    cacheErrors: 0,
    waits: 0,
    refusedFills: 0,
  };

  constructor(
    private readonly redis: Redis,
    private readonly load: (id: string) => Promise<T>,
    private readonly options: LeaseOptions,
  ) {}

  key(id: string): string {
    return `${this.options.namespace}:${id}`;
  }

  async read(id: string): Promise<T> {
    const [key, leaseKey] = [this.key(id), `${this.key(id)}:lease`];
    for (let missed = false; ; ) {
      const token = randomUUID();
      const leaseMs = this.options.leaseMs ?? 5000;
      const [answer, cached] = (await this.redis.eval(
        GET_OR_LEASE,
        2,
        key,
        leaseKey,
        token,
        leaseMs,
      )) as [string, string?];
      if (answer === "value") {
        if (!missed) this.stats.hits++;
        return JSON.parse(cached!) as T;
      }
      if (!missed) this.stats.misses++;
      missed = true;
      if (answer === "lease") return this.#loadAndFill(id, key, leaseKey, token);
      this.stats.waits++;
      await sleep(this.options.retryMs ?? 10);
    }
  }

  async #loadAndFill(id: string, key: string, leaseKey: string, token: string): Promise<T> {
    this.stats.loads++;
    const value = await this.load(id);
    await this.options.beforeFill?.(id);
    const json = JSON.stringify(value);
    const ttl = this.options.ttlSeconds;
    const filled = await this.redis.eval(FILL_WITH_LEASE, 2, key, leaseKey, token, json, ttl);
    // Refused: a write came in while we loaded, so what we hold may be old.
    // We still return it, as any read that began before a write may; we
    // only keep it out of the cache, where it would outlive the write.
    if (Number(filled) === 0) this.stats.refusedFills++;
    return value;
  }

  /** Updates the source of truth, then deletes the value and any lease on it. */
  async write(id: string, update: () => Promise<void>): Promise<void> {
    await update();
    await this.redis.del(this.key(id), `${this.key(id)}:lease`);
  }
}
