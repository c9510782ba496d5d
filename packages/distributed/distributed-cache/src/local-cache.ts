import { LRUCache } from "lru-cache";
import type { Cache } from "./distributed-cache.js";

// The alternative to a distributed cache: an LRU map inside each
// application process (`lru-cache` here). A hit costs
// no network round trip at all. But every instance fills its own copy
// from the database, and a write can invalidate only the copy of the
// instance that made it; the others serve the old value until their TTL.

/** An in-process LRU cache, one per application instance. */
export class LocalCache implements Cache {
  readonly name = "in-process LRU";
  readonly #entries = new LRUCache<string, string>({ max: 10_000 });

  async get(key: string): Promise<string | undefined> {
    return this.#entries.get(key);
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.#entries.set(key, value, { ttl: ttlSeconds * 1000 });
  }

  async delete(key: string): Promise<void> {
    this.#entries.delete(key);
  }
}
