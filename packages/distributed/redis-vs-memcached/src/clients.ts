import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { MemcacheClient } from "memcache-client";

/** A Redis client that fails a command instead of queueing it while the server is down. */
export function connectRedis(url: string): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  redis.on("error", () => {});
  return redis;
}

/** Disconnects `redis` unless it has ended already. */
export function quitRedis(redis: Redis): void {
  if (redis.status !== "end") redis.disconnect();
}

// The client logs reconnects to the console; our crashes are on purpose.
const quiet = () => {};
const QUIET = { debug: quiet, info: quiet, warn: quiet, error: quiet };

/**
 * A memcached client for a kit URL (`memcached://host:port`). One client is
 * one TCP connection; commands sent before the answers arrive are pipelined
 * on it. It speaks memcached's text protocol, which has `gets`/`cas`.
 */
export function connectMemcached(url: string): MemcacheClient {
  const { hostname, port } = new URL(url);
  return new MemcacheClient({ server: `${hostname}:${port}`, logger: QUIET });
}

/** What memcached answered when it refused a command (`EXISTS`, `NOT_STORED`, `SERVER_ERROR …`). */
export function memcachedReply(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A key prefix no other test or demo uses, so they can share a server. */
export function uniquePrefix(name: string): string {
  return `${name}:${randomBytes(4).toString("hex")}`;
}
