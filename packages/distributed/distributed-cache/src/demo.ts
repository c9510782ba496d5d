import { randomBytes } from "node:crypto";
import { defineDemo, ScratchDatabase, services } from "@playground/kit";
import { Redis } from "ioredis";
import {
  BURST,
  loseANode,
  percent,
  type Stage,
  sharedVsLocal,
  staleData,
  stampede,
  TTL,
  took,
} from "./demo-acts.js";
import { CacheAside } from "./distributed-cache.js";
import { MemcachedCluster, type Placement } from "./memcached-cluster.js";
import { ProductDb } from "./product-db.js";
import { median, skewedReads, timeReads } from "./scenarios.js";

const PRODUCTS = 300;

export default defineDemo({
  title: "Distributed cache",
  services: ["postgres", "redis"],
  async run(ctx) {
    // A database of our own with a slow product query, three memcached
    // servers of our own (we kill one), and Redis for the leases. Every
    // key carries this run's id, so the demo can run beside the tests.
    const queryMs = ctx.fast ? 5 : 20;
    const scratch = await ScratchDatabase.create(ctx.services.postgres.url, "dcache_demo");
    ctx.defer(() => scratch[Symbol.asyncDispose]());
    const db = await ProductDb.create(scratch.pool, PRODUCTS, queryMs);
    const servers = await Promise.all([1, 2, 3].map(() => services.memcached({ dedicated: true })));
    for (const server of servers) ctx.defer(() => server[Symbol.asyncDispose]());
    const [a, b, c] = servers.map((s) => `${s.host}:${s.port}`) as [string, string, string];
    const names = new Map([
      [a, "A"],
      [b, "B"],
      [c, "C"],
    ]);
    const redis: [Redis, Redis] = [
      new Redis(ctx.services.redis.url),
      new Redis(ctx.services.redis.url),
    ];
    ctx.defer(() => redis.map((r) => r.disconnect()));
    const clients: MemcachedCluster[] = [];
    ctx.defer(() => Promise.all(clients.map((client) => client.close())));
    const run = randomBytes(3).toString("hex");
    const stage: Stage = {
      ctx,
      db,
      redis,
      ns: (name) => `demo-${run}-${name}`,
      memcached(nodes: string[], placement: Placement = "consistent") {
        const client = new MemcachedCluster(nodes, placement);
        clients.push(client);
        return client.connect();
      },
    };

    // 1. The same skewed workload straight from PostgreSQL, then through
    // memcached with cache-aside. Only the first read of each product
    // should reach the database.
    ctx.say(
      `PostgreSQL holds ${PRODUCTS} products, and reading one takes at least ${queryMs} ms ` +
        "(pg_sleep stands for a heavy query). memcached A, B and C sit in front, on a hash ring.",
    );
    const reads = skewedReads(ctx.fast ? 60 : 200, PRODUCTS);
    const distinct = new Set(reads).size;
    const ring = await stage.memcached([a, b, c]);
    const app = new CacheAside(ring, (id) => db.product(id), {
      namespace: stage.ns("aside"),
      ttlSeconds: TTL,
    });
    const queriesBefore = db.queries;
    const direct = await timeReads(reads, (id) => db.product(id), undefined, ctx.signal);
    const directQueries = db.queries - queriesBefore;
    const cached = await timeReads(
      reads,
      (id) => app.read(id),
      () => app.stats.hits,
      ctx.signal,
    );
    ctx.event(
      "app",
      `${reads.length} reads (80% on 20 hot products), straight from PostgreSQL`,
      `${directQueries} queries, median ${took(median(direct.all))}, ${took(direct.totalMs)} in all`,
    );
    ctx.event(
      "app",
      "the same reads through memcached",
      `${app.stats.loads} queries, one per distinct product; a hit took a median ` +
        `${took(median(cached.hits))}; ${took(cached.totalMs)} in all`,
    );
    const hitSpeedUp = median(direct.all) / median(cached.hits);
    ctx.metric("database queries without the cache", directQueries, "");
    ctx.metric("database queries with the cache", app.stats.loads, "");
    ctx.metric("cache hit vs query, median", Math.round(hitSpeedUp), "x");
    ctx.metric(
      "whole workload, speed-up",
      Math.round((direct.totalMs / cached.totalMs) * 10) / 10,
      "x",
    );

    // 2. Kill B under each placement. The ring should cost B's keys only;
    // `hash % n` remaps most keys, including those on A and C.
    ctx.say("We cache every product across A, B and C, then kill B with SIGKILL.");
    const onRing = await loseANode(stage, ring, servers[1]!, names);
    await servers[1]!.start();
    ctx.state("memcached-B", "killed", "up (empty)");
    ctx.say("The same with modulo placement, hash(key) % 3, then B killed again.");
    const modulo = await stage.memcached([a, b, c], "modulo");
    const onModulo = await loseANode(stage, modulo, servers[1]!, names);
    const ringShare = percent(onRing.misses, PRODUCTS);
    const moduloShare = percent(onModulo.misses, PRODUCTS);
    ctx.metric("keys missed after losing 1 of 3 nodes, hash ring", ringShare, "%");
    ctx.metric("keys missed after losing 1 of 3 nodes, modulo", moduloShare, "%");

    // 3 to 5 run on A and C, the servers that are still up.
    const stale = await staleData(stage, [a, c]);
    const herd = await stampede(stage, [a, c]);
    const shared = await sharedVsLocal(stage, [a, c]);
    ctx.metric(
      "memcached hit vs in-process hit, median",
      Math.round(shared.memcachedHit / shared.localHit),
      "x",
    );

    ctx.table([
      {
        case: `${reads.length} skewed reads`,
        without: `${directQueries} queries`,
        with: `${app.stats.loads} (cache-aside)`,
      },
      {
        case: "1 of 3 nodes killed",
        without: `${moduloShare}% of keys missed (modulo)`,
        with: `${ringShare}% (ring)`,
      },
      {
        case: `writer vs slow reader, ${stale.rounds} rounds`,
        without: `${stale.plain} left stale`,
        with: `${stale.leased} (leases)`,
      },
      {
        case: `${BURST} requests, expired key`,
        without: `${herd.plain} queries`,
        with: `${herd.flight} (single-flight), ${herd.flightTwo} (2 instances), ${herd.lease} (lease)`,
      },
      {
        case: `2 instances, ${shared.ids} keys`,
        without: `${shared.local} queries (LRU each)`,
        with: `${shared.shared} (shared)`,
      },
    ]);
    ctx.claim(
      `with cache-aside PostgreSQL saw one query per distinct product (${distinct}), not one per read (${reads.length})`,
      app.stats.loads === distinct && directQueries === reads.length,
    );
    // The factor is a measurement (the metric above); what we claim is only
    // the direction, which holds even on a machine busy enough to blur it.
    ctx.claim("a memcached hit was faster than the query, median for median", hitSpeedUp > 1);
    ctx.claim(
      "losing B on the ring cost exactly the keys B held, and every read was still answered right",
      onRing.misses === onRing.heldByVictim &&
        onRing.right === PRODUCTS &&
        onModulo.right === PRODUCTS,
    );
    ctx.claim(
      "modulo placement lost more than half of all keys with one node; the ring less than half",
      onModulo.misses > PRODUCTS / 2 && onRing.misses < PRODUCTS / 2,
    );
    ctx.claim(
      "without invalidation the cache served the old price; with delete-on-write, the new one",
      stale.servedOld && stale.servedNew,
    );
    ctx.claim(
      "slow readers re-cached old values after the writer's delete; leases refused every such fill",
      stale.plain > 0 && stale.leased === 0,
    );
    ctx.claim(
      `an expired hot key sent all ${BURST} requests to PostgreSQL; single-flight 1 per instance; a Redis lease 1 in all`,
      herd.plain === BURST && herd.flight === 1 && herd.flightTwo === 2 && herd.lease === 1,
    );
    ctx.claim(
      "two instances sharing memcached paid one query per key; with their own LRUs, one per key each",
      shared.shared === shared.ids && shared.local === 2 * shared.ids,
    );
    ctx.claim(
      "after X's write, Y kept the old value in its own LRU but read the new one through memcached",
      shared.otherLocalStale && !shared.otherSharedStale,
    );
    ctx.claim(
      "an in-process hit was faster than a memcached hit",
      shared.localHit < shared.memcachedHit,
    );
  },
});
