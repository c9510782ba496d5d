import type { Redis } from "ioredis";
import type { MemcacheClient } from "memcache-client";

// Both are caches that live in RAM, and both can run out of it. What
// happens next is where they differ.

/** memcached's own counters, from `stats`. */
export async function memcachedStats(mc: MemcacheClient): Promise<Map<string, string>> {
  const { STAT } = await mc.cmd<{ STAT: string[][] }>("stats");
  return new Map(STAT.map(([name, value]) => [name!, value!]));
}

export interface MemcachedFill {
  /** Items memcached threw out to make room (`stats` evictions, during the fill). */
  evictions: number;
  /** Of the `small` items written before the flood, how many are still there. */
  smallSurvivors: number;
  /** Of the large items we kept reading during the flood, how many are still there. */
  readSurvivors: number;
  /** Of the other large items written before the last `limitItems`, how many are there. */
  oldSurvivors: number;
}

// memcached has a fixed budget (`-m`, 64 MB here) and evicting is its
// normal way of life: a `set` never fails for want of memory. Memory is cut
// into slab classes by item size, each with its own LRU, and an item is
// evicted from the tail of its own class's LRU. So small items written
// first, never read again, survive a flood of large ones: the flood evicts
// only large items. Within a class, items that are read stay; since 1.5 the
// LRU is segmented (hot, warm, cold) and an item read twice moves to warm.
/**
 * Writes `small` 50-byte items, then `large` items of `largeBytes`, reading
 * the first `keepReading` large items again as the flood goes on.
 */
export async function floodMemcached(
  mc: MemcacheClient,
  prefix: string,
  { small = 500, large = 1_000, largeBytes = 100 * 1024, keepReading = 10 } = {},
): Promise<MemcachedFill> {
  const evictionsBefore = Number((await memcachedStats(mc)).get("evictions"));
  for (let i = 0; i < small; i++) await mc.set(`${prefix}:small:${i}`, "s".repeat(50));
  const value = Buffer.alloc(largeBytes, 1);
  for (let i = 0; i < large; i++) {
    await mc.set(`${prefix}:large:${i}`, value);
    if (i >= keepReading && i % 10 === 0) {
      for (let k = 0; k < keepReading; k++) await mc.get(`${prefix}:large:${k}`);
    }
  }
  const evictions = Number((await memcachedStats(mc)).get("evictions")) - evictionsBefore;
  const present = async (keys: string[]) =>
    (await Promise.all(keys.map((key) => mc.get(key)))).filter(Boolean).length;
  const range = (from: number, to: number, kind: string) =>
    Array.from({ length: to - from }, (_, i) => `${prefix}:${kind}:${from + i}`);
  return {
    evictions,
    smallSurvivors: await present(range(0, small, "small")),
    readSurvivors: await present(range(0, keepReading, "large")),
    oldSurvivors: await present(range(keepReading, 2 * keepReading, "large")),
  };
}

export interface RedisFill {
  /** Writes Redis accepted. */
  stored: number;
  /** Writes Redis refused with `OOM command not allowed…`. */
  refused: number;
  firstRefusal?: string;
  /** Keys Redis threw out to make room (INFO stats `evicted_keys`, during the fill). */
  evicted: number;
  /** Keys left afterwards, out of those written. */
  kept: number;
}

// Redis, out of the box, has no memory limit at all (`maxmemory 0` on 64-bit
// builds): it grows until the kernel's OOM killer ends it. With a limit but
// the default policy, `noeviction`, it refuses writes with an OOM error and
// keeps every key: it behaves like a database that is full. Only with a
// policy such as `allkeys-lru` does it evict like a cache. Its LRU is
// approximate: it samples a few keys (`maxmemory-samples`, 5) and evicts
// the least recently used among them.
/** Sets `maxmemory` and `maxmemory-policy` on the running server. */
export async function limitRedis(redis: Redis, maxmemory: string, policy: string): Promise<void> {
  await redis.config("SET", "maxmemory", maxmemory);
  await redis.config("SET", "maxmemory-policy", policy);
}

async function evictedKeys(redis: Redis): Promise<number> {
  return Number(/evicted_keys:(\d+)/.exec(await redis.info("stats"))![1]);
}

/** Writes `count` values of `bytes` and counts what Redis accepted, refused and evicted. */
export async function fillRedis(
  redis: Redis,
  prefix: string,
  { count = 1_000, bytes = 10 * 1024 } = {},
): Promise<RedisFill> {
  const evictedBefore = await evictedKeys(redis);
  const value = Buffer.alloc(bytes, 1);
  const fill: RedisFill = { stored: 0, refused: 0, evicted: 0, kept: 0 };
  const keys = Array.from({ length: count }, (_, i) => `${prefix}:${i}`);
  for (const key of keys) {
    try {
      await redis.set(key, value);
      fill.stored++;
    } catch (error) {
      fill.refused++;
      fill.firstRefusal ??= (error as Error).message;
    }
  }
  fill.evicted = (await evictedKeys(redis)) - evictedBefore;
  fill.kept = await redis.exists(...keys);
  return fill;
}
