// A distributed cache is a copy of hot data kept in the memory of servers
// that every instance of the application can reach. It exists for one
// reason: the source of truth (here PostgreSQL) is slower and scarcer than
// memory, so we answer repeated reads from the copy. Everything else on
// this page is the price of keeping a copy.

/**
 * What cache-aside needs from a cache: memcached, Redis, or a map in this
 * process. Values are strings; TTLs are seconds, memcached's unit.
 */
export interface Cache {
  readonly name: string;
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  delete(key: string): Promise<void>;
}

export interface CacheAsideOptions {
  /** Prefix of every key, so that tests and demos can share one server. */
  namespace: string;
  /** How long an entry lives: the bound on how stale a missed invalidation leaves it. */
  ttlSeconds: number;
  /** Coalesce concurrent misses on one key in this process into one load. */
  singleFlight?: boolean;
  /** Runs between the load and the fill: where a slow reader is slow. */
  beforeFill?: (id: string) => Promise<void>;
}

/** What happened to the reads so far. `loads` is what the database saw. */
export interface CacheStats {
  hits: number;
  misses: number;
  loads: number;
  /** Cache operations that failed and were treated as misses. */
  cacheErrors: number;
}

// Cache-aside (also called lazy loading) keeps the cache out of the
// write path and out of the database's sight: the application reads the
// cache first, and only on a miss reads the database and stores what it
// got, with a TTL. Nothing is cached until someone asks for it, so a cold
// cache costs a miss per key, and a key nobody reads costs nothing.

/** Read through a cache in front of `load`, invalidate on write. */
export class CacheAside<T> {
  readonly stats: CacheStats = { hits: 0, misses: 0, loads: 0, cacheErrors: 0 };
  readonly #inFlight = new Map<string, Promise<T>>();

  constructor(
    readonly cache: Cache,
    private readonly load: (id: string) => Promise<T>,
    private readonly options: CacheAsideOptions,
  ) {}

  key(id: string): string {
    return `${this.options.namespace}:${id}`;
  }

  async read(id: string): Promise<T> {
    const cached = await this.#quietly(() => this.cache.get(this.key(id)));
    if (cached !== undefined) {
      this.stats.hits++;
      return JSON.parse(cached) as T;
    }
    this.stats.misses++;
    if (!this.options.singleFlight) return this.#loadAndFill(id);

    // When a hot key expires, every request that arrives before the first
    // load finishes misses too, and each would run the same slow query: a
    // stampede. Single-flight makes the later ones wait for the first
    // one's promise. It is per process: K instances still send K queries.
    let pending = this.#inFlight.get(id);
    if (!pending) {
      pending = this.#loadAndFill(id).finally(() => this.#inFlight.delete(id));
      this.#inFlight.set(id, pending);
    }
    return pending;
  }

  // On a write we update the database first and then delete the cached
  // copy, rather than writing the new value into the cache. Two writers
  // that set the cache can land in the opposite order to their commits and
  // leave the older value cached; two deletes cannot. The next read loads
  // whatever the database holds then.
  async write(id: string, update: () => Promise<void>): Promise<void> {
    await update();
    await this.#quietly(() => this.cache.delete(this.key(id)));
  }

  // Deleting is not enough, though. A reader that loaded the old row just
  // before the write, and is slow to store it (a GC pause, a busy event
  // loop), stores it *after* the delete: the cache then holds the old value
  // until its TTL, and nothing will ever delete it. `beforeFill` lets the
  // tests put a writer in exactly that gap; `leased-cache.ts` closes it.
  async #loadAndFill(id: string): Promise<T> {
    this.stats.loads++;
    const value = await this.load(id);
    await this.options.beforeFill?.(id);
    await this.#quietly(() =>
      this.cache.set(this.key(id), JSON.stringify(value), this.options.ttlSeconds),
    );
    return value;
  }

  // A cache is an optimisation, so a cache that fails must not fail the
  // request: we count the error, treat it as a miss, and let the database
  // answer. That database must then be able to take the extra load, which
  // is what a lost cache node costs.
  async #quietly<R>(operation: () => Promise<R>): Promise<R | undefined> {
    try {
      return await operation();
    } catch {
      this.stats.cacheErrors++;
      return undefined;
    }
  }
}
