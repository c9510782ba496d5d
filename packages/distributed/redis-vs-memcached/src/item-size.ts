import type { Redis } from "ioredis";
import type { MemcacheClient } from "memcache-client";
import { memcachedReply } from "./clients.js";

// memcached caps the size of one item: 1 MB by default (`-I`, up to 1 GB
// when raised), and the cap covers the key and the item header too, so a
// value of exactly 1 MiB is already too large. A bigger value is refused
// with `SERVER_ERROR object too large for cache`; clients that cache whole
// pages or serialized objects split them or compress them first.
//
// A Redis string holds up to 512 MB (`proto-max-bulk-len`, the largest
// bulk string the protocol accepts). Big values are allowed, if rarely wise:
// one thread must copy every byte of them.

/** Stores `bytes` bytes under `key` in memcached; returns its reply. */
export async function storeInMemcached(
  mc: MemcacheClient,
  key: string,
  bytes: number,
): Promise<string> {
  try {
    const [reply] = await mc.set(key, Buffer.alloc(bytes, 1));
    return reply ?? "";
  } catch (error) {
    return memcachedReply(error);
  }
}

/** Stores `bytes` bytes under `key` in Redis; returns its reply. */
export async function storeInRedis(redis: Redis, key: string, bytes: number): Promise<string> {
  try {
    return await redis.set(key, Buffer.alloc(bytes, 1));
  } catch (error) {
    return (error as Error).message;
  }
}

/** The largest string Redis accepts, in bytes, as the server is configured. */
export async function redisMaxString(redis: Redis): Promise<number> {
  const [, value] = (await redis.config("GET", "proto-max-bulk-len")) as [string, string];
  return Number(value);
}
