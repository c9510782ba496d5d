import { setTimeout as sleep } from "node:timers/promises";
import { type DemoContext, type ServiceHandle, waitUntil } from "@playground/kit";
import type { Redis } from "ioredis";
import { CacheAside } from "./distributed-cache.js";
import { LeasedCache } from "./leased-cache.js";
import { LocalCache } from "./local-cache.js";
import type { MemcachedCluster, Placement } from "./memcached-cluster.js";
import { type Product, type ProductDb, productIds } from "./product-db.js";
import { burst, inParallel, median, timeReads } from "./scenarios.js";

// The acts of `demo.ts` after the first: each one sets up its own
// instances over the same database and cache servers, tells its story,
// and returns the numbers the closing table and claims need.

export const TTL = 300;
export const BURST = 50;

/** What every act shares. */
export interface Stage {
  ctx: DemoContext<"postgres" | "redis">;
  db: ProductDb;
  /** A new memcached client (an application instance's own) over `nodes`. */
  memcached(nodes: string[], placement?: Placement): Promise<MemcachedCluster>;
  /** Two connections to Redis, as two instances would have. */
  redis: [Redis, Redis];
  /** A key prefix unique to this run. */
  ns(name: string): string;
}

export const price = (p: Product) => (p.priceCents / 100).toFixed(2);
/** A duration in ms, as µs when it is under a millisecond. */
export const took = (ms: number) =>
  ms < 1 ? `${Math.round(ms * 1000)} µs` : `${Math.round(ms * 10) / 10} ms`;
const queries = (n: number) => `${n} ${n === 1 ? "query" : "queries"}`;
export const percent = (part: number, whole: number) => Math.round((100 * part) / whole);

/** Warms every product into `cluster`, kills `victim`, and reads every product again. */
export async function loseANode(
  { ctx, db, ns }: Stage,
  cluster: MemcachedCluster,
  victim: ServiceHandle,
  names: Map<string, string>,
) {
  const ids = productIds(db.products);
  const aside = new CacheAside(cluster, (id) => db.product(id), {
    namespace: ns(cluster.placement),
    ttlSeconds: TTL,
  });
  await inParallel(ids, 8, (id) => aside.read(id));
  const owners = ids.map((id) => names.get(cluster.nodeFor(aside.key(id))!)!);
  const held = (name: string) => owners.filter((owner) => owner === name).length;
  ctx.event(
    "memcached",
    `${cluster.placement}: all ${ids.length} products cached`,
    [...names.values()].map((name) => `${name} holds ${held(name)}`).join(" · "),
  );

  await victim.kill();
  ctx.state("memcached-B", "up", "killed (SIGKILL)");
  const before = db.queries;
  const answers = await inParallel(ids, 8, (id) => aside.read(id));
  const misses = db.queries - before;
  const right = answers.filter((p, i) => p.priceCents === 100 * (i + 1)).length;
  ctx.event(
    "app",
    `${cluster.placement}: reads all ${ids.length} again`,
    `${misses} missed (${percent(misses, ids.length)}%) and went to PostgreSQL; ` +
      `${right} of ${ids.length} answers right; ejected ${cluster.ejected.map((n) => names.get(n)).join(", ")}`,
  );
  return { misses, heldByVictim: held("B"), right };
}

/** Stale reads, delete-on-write, and the stale-set race, with and without leases. */
export async function staleData({ ctx, db, memcached, redis, ns }: Stage, nodes: string[]) {
  const cache = await memcached(nodes);
  const load = (id: string) => db.product(id);
  ctx.say("Stale data: p1 is cached at 1.00, then its price changes in PostgreSQL.");
  const shop = new CacheAside(cache, load, { namespace: ns("stale"), ttlSeconds: TTL });
  await shop.read("p1");
  await db.setPrice("p1", 150);
  const old = await shop.read("p1");
  ctx.event("app", "reads p1 after an UPDATE nobody told the cache about", `${price(old)}: stale`);
  await shop.write("p1", () => db.setPrice("p1", 175));
  const fresh = await shop.read("p1");
  ctx.event("app", "reads p1 after an UPDATE followed by a DELETE of its key", price(fresh));

  // The race, once, in slow motion: the writer runs inside the reader's
  // stall, between its load and its store.
  ctx.say("The race that delete-on-write leaves open, step by step:");
  const writer = new CacheAside(cache, load, { namespace: ns("race"), ttlSeconds: TTL });
  const reader = new CacheAside(cache, load, {
    namespace: ns("race"),
    ttlSeconds: TTL,
    async beforeFill() {
      ctx.event("reader", "missed p2, loaded it at 2.00, and stalls before storing it");
      await writer.write("p2", () => db.setPrice("p2", 250));
      ctx.event("writer", "UPDATE p2 to 2.50, then DELETE its key");
    },
  });
  await reader.read("p2");
  ctx.event("reader", "stores what it loaded: 2.00");
  const raced = await writer.read("p2");
  ctx.event("app", "reads p2", `${price(raced)}, though PostgreSQL has 2.50, until the TTL`);

  // Then many rounds with random timing: a reader that stalls up to one
  // query time before storing, and a write at a random moment of its read.
  const rounds = ctx.fast ? 20 : 30;
  const racesLeftStale = async (first: number, make: (stall?: () => Promise<void>) => Racer) => {
    let stale = 0;
    for (let r = 0; r < rounds; r++) {
      const id = `p${first + r}`;
      const pause = () => sleep(Math.random() * db.queryMs, undefined, { signal: ctx.signal });
      const [slowReader, racer] = [make(pause), make()];
      await Promise.all([
        slowReader.read(id),
        pause().then(() => racer.write(id, () => db.setPrice(id, 1))),
      ]);
      const left = await slowReader.peek(id);
      if (left !== undefined && (JSON.parse(left) as Product).version === 1) stale++;
    }
    return stale;
  };
  const plain = await racesLeftStale(100, (beforeFill) => {
    const aside = new CacheAside(cache, load, {
      namespace: ns("rounds"),
      ttlSeconds: TTL,
      beforeFill,
    });
    return Object.assign(aside, { peek: (id: string) => cache.get(aside.key(id)) });
  });
  const leased = await racesLeftStale(150, (beforeFill) => {
    const lease = new LeasedCache(redis[0], load, {
      namespace: ns("lease"),
      ttlSeconds: TTL,
      beforeFill,
    });
    return Object.assign(lease, {
      peek: async (id: string) => (await redis[0].get(lease.key(id))) ?? undefined,
    });
  });
  ctx.event(
    "memcached",
    `${rounds} racing rounds, plain cache-aside`,
    `${plain} left the old value cached`,
  );
  ctx.event("redis", `${rounds} racing rounds, with leases`, `${leased} left the old value cached`);
  return {
    rounds,
    plain,
    leased,
    servedOld: old.priceCents === 100,
    servedNew: fresh.priceCents === 175,
  };
}

/** One side of a racing round: reads, writes, and what its cache holds for `id`. */
interface Racer {
  read(id: string): Promise<Product>;
  write(id: string, update: () => Promise<void>): Promise<void>;
  peek(id: string): Promise<string | undefined>;
}

/** A hot key expires under a burst of requests: no protection, single-flight, a Redis lease. */
export async function stampede({ ctx, db, memcached, redis, ns }: Stage, nodes: string[]) {
  const load = (id: string) => db.product(id);
  const cache = await memcached(nodes);
  ctx.say(`Stampede: p3 is cached for 1 s. When it expires, ${BURST} requests want it at once.`);
  const hot = new CacheAside(cache, load, { namespace: ns("herd"), ttlSeconds: 1 });
  await hot.read("p3");
  await waitUntil(
    "p3's entry expires",
    async () => (await cache.get(hot.key("p3"))) === undefined,
    {
      timeoutMs: 5000,
      everyMs: 50,
    },
  );
  ctx.event("memcached", "p3 expired");

  const measure = async (label: string, read: (i: number) => Promise<unknown>) => {
    const before = db.queries;
    const slowest = await burst(BURST, read);
    const count = db.queries - before;
    ctx.event(
      "app",
      `${BURST} requests for p3, ${label}`,
      `${queries(count)}; the slowest waited ${took(slowest)}`,
    );
    return count;
  };
  const plain = await measure("no protection", () => hot.read("p3"));
  const flightOptions = { namespace: ns("flight"), ttlSeconds: TTL, singleFlight: true };
  const one = new CacheAside(cache, load, flightOptions);
  const flight = await measure("single-flight in one instance", () => one.read("p3"));
  const twoOptions = { ...flightOptions, namespace: ns("flight-two") };
  const two = [
    new CacheAside(cache, load, twoOptions),
    new CacheAside(await memcached(nodes), load, twoOptions),
  ];
  const flightTwo = await measure("single-flight, spread over two instances", (i) =>
    two[i % 2]!.read("p3"),
  );
  const leases = redis.map(
    (r) => new LeasedCache(r, load, { namespace: ns("herd-lease"), ttlSeconds: TTL }),
  );
  const lease = await measure("one Redis lease, two instances", (i) => leases[i % 2]!.read("p3"));
  return { plain, flight, flightTwo, lease };
}

/** Two instances, one shared memcached or an LRU map each: queries, hit latency, invalidation. */
export async function sharedVsLocal({ ctx, db, memcached, ns }: Stage, nodes: string[]) {
  const load = (id: string) => db.product(id);
  const ids = productIds(230).slice(200);
  ctx.say(
    `Two instances, X and Y, read the same ${ids.length} products: sharing memcached, then each with its own LRU.`,
  );
  const instances = async (kind: "shared" | "local") => {
    const cache = async () => (kind === "shared" ? memcached(nodes) : new LocalCache());
    const options = { namespace: ns(kind), ttlSeconds: TTL };
    return [
      new CacheAside(await cache(), load, options),
      new CacheAside(await cache(), load, options),
    ];
  };
  const readAll = async (apps: CacheAside<Product>[]) => {
    const before = db.queries;
    for (const app of apps) for (const id of ids) await app.read(id);
    return db.queries - before;
  };
  const [sharedX, sharedY] = await instances("shared");
  const [localX, localY] = await instances("local");
  const shared = await readAll([sharedX!, sharedY!]);
  const local = await readAll([localX!, localY!]);
  ctx.event("app", "X then Y, sharing memcached", `${shared} queries: Y hit what X filled`);
  ctx.event("app", "X then Y, an LRU each", `${local} queries: each filled its own`);

  // What sharing costs: a memcached hit is a network round trip, an LRU hit a map lookup.
  const memcachedHit = median((await timeReads(ids, (id) => sharedY!.read(id))).all);
  const localHit = median((await timeReads(ids, (id) => localX!.read(id))).all);
  ctx.event(
    "app",
    "hit latency, median",
    `memcached ${took(memcachedHit)}, in-process ${took(localHit)}`,
  );

  const id = ids[0]!;
  await sharedX!.write(id, () => db.setPrice(id, 1));
  await localX!.write(id, async () => {});
  const otherShared = await sharedY!.read(id);
  const otherLocal = await localY!.read(id);
  ctx.event(
    "app",
    `X changes ${id} to 0.01 and invalidates its cache; Y reads it`,
    `shared: ${price(otherShared)}; Y's own LRU: ${price(otherLocal)}`,
  );
  return {
    ids: ids.length,
    shared,
    local,
    memcachedHit,
    localHit,
    otherSharedStale: otherShared.priceCents !== 1,
    otherLocalStale: otherLocal.priceCents !== 1,
  };
}
