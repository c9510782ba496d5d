import { randomBytes } from "node:crypto";
import { defineDemo, ScratchDatabase, type TableRow } from "@playground/kit";
import { Redis } from "ioredis";
import { type HashProvider, Memcache, ModulaHash } from "memcache";
import { took } from "./demo-acts.js";
import { CacheAside } from "./distributed-cache.js";
import { KetamaRing } from "./ketama-ring.js";
import { LeasedCache } from "./leased-cache.js";
import { LocalCache } from "./local-cache.js";
import { MemcachedCluster } from "./memcached-cluster.js";
import { type Product, ProductDb } from "./product-db.js";
import { median, skewedReads, type Timed, timeReads } from "./scenarios.js";

// `pnpm bench distributed-cache`: the same skewed workload against
// PostgreSQL alone and behind each cache, three rounds each, cold cache at
// the start of every round; then what a hit costs on each; then how evenly
// two rings spread keys over three nodes, and how many keys move when one
// of the nodes goes, over many random sets of ports.

const PRODUCTS = 300;
const READS = 300;
const ROUNDS = 3;
const QUERY_MS = 20;

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
}

/**
 * Each node's share of 3,000 keys, and the share that moves when the second
 * node goes, for `trials` random port triples. `undefined`: the client's own ring.
 */
function placementSpread(make: () => HashProvider | undefined, trials: number) {
  const keys = Array.from({ length: 3000 }, (_, i) => `bench:p${i}`);
  const shares: number[] = [];
  const moved: number[] = [];
  for (let t = 0; t < trials; t++) {
    const ports = [1, 2, 3].map(() => 15_000 + Math.floor(Math.random() * 17_000));
    const client = new Memcache({ nodes: ports.map((p) => `127.0.0.1:${p}`), hash: make() });
    const before = keys.map((key) => client.hash.getNodesByKey(key)[0]!.id);
    for (const port of ports) {
      shares.push(before.filter((id) => id.endsWith(`:${port}`)).length / keys.length);
    }
    client.hash.removeNode(`127.0.0.1:${ports[1]}`);
    const after = keys.map((key) => client.hash.getNodesByKey(key)[0]!.id);
    moved.push(after.filter((id, i) => id !== before[i]).length / keys.length);
  }
  return { shares, moved };
}

export default defineDemo({
  title: "Distributed cache: the same reads with and without a cache",
  services: ["postgres", "redis", "memcached"],
  async run(ctx) {
    const scratch = await ScratchDatabase.create(ctx.services.postgres.url, "dcache_bench");
    ctx.defer(() => scratch[Symbol.asyncDispose]());
    const db = await ProductDb.create(scratch.pool, PRODUCTS, QUERY_MS);
    const memcached = await new MemcachedCluster([
      `${ctx.services.memcached.host}:${ctx.services.memcached.port}`,
    ]).connect();
    ctx.defer(() => memcached.close());
    const redis = new Redis(ctx.services.redis.url);
    ctx.defer(() => redis.disconnect());
    const run = randomBytes(3).toString("hex");
    const load = (id: string) => db.product(id);

    type Reader = { read(id: string): Promise<Product>; stats?: { hits: number } };
    const arms: [string, (round: number) => Reader][] = [
      ["PostgreSQL only", () => ({ read: load })],
      [
        "memcached",
        (r) => new CacheAside(memcached, load, { namespace: `b${run}m${r}`, ttlSeconds: 600 }),
      ],
      [
        "Redis (leases)",
        (r) => new LeasedCache(redis, load, { namespace: `b${run}r${r}`, ttlSeconds: 600 }),
      ],
      [
        "in-process LRU",
        () => new CacheAside(new LocalCache(), load, { namespace: "b", ttlSeconds: 600 }),
      ],
    ];
    ctx.say(
      `${READS} reads, 80% of them on 20 of ${PRODUCTS} products, a query of at least ${QUERY_MS} ms; ` +
        `${ROUNDS} rounds per arm, each from a cold cache; medians over the rounds.`,
    );
    const rows: TableRow[] = [];
    const totals = new Map<string, number>();
    const hitMedians = new Map<string, number>();
    for (const [name, make] of arms) {
      const runs: { timed: Timed; queries: number }[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const reads = skewedReads(ctx.fast ? READS / 10 : READS, PRODUCTS);
        const reader = make(round);
        const before = db.queries;
        const timed = await timeReads(
          reads,
          (id) => reader.read(id),
          () => reader.stats?.hits ?? 0,
          ctx.signal,
        );
        runs.push({ timed, queries: db.queries - before });
      }
      const total = median(runs.map((r) => r.timed.totalMs));
      const hits = runs.flatMap((r) => r.timed.hits);
      totals.set(name, total);
      if (hits.length > 0) hitMedians.set(name, median(hits));
      rows.push({
        arm: name,
        "DB queries": runs.map((r) => r.queries).join(" / "),
        "median read": took(median(runs.flatMap((r) => r.timed.all))),
        "p99 read": took(
          percentile(
            runs.flatMap((r) => r.timed.all),
            0.99,
          ),
        ),
        "median hit": hits.length > 0 ? took(median(hits)) : "-",
        "whole run": took(total),
        "speed-up": `${Math.round((totals.get("PostgreSQL only")! / total) * 10) / 10}×`,
      });
    }
    ctx.table(rows);
    for (const [name, total] of totals) ctx.metric(`whole run, ${name}`, Math.round(total), "ms");
    for (const [name, hit] of hitMedians)
      ctx.metric(`median hit, ${name}`, Math.round(hit * 1000), "µs");

    const trials = ctx.fast ? 20 : 200;
    ctx.say(`Placement of 3,000 keys over three nodes on random ports, ${trials} times.`);
    const spreadRows: TableRow[] = [];
    const placements: [string, () => HashProvider | undefined][] = [
      ["memcache's own ring (FNV-1a, 50 points)", () => undefined],
      ["KetamaRing (MD5, 160 points)", () => new KetamaRing()],
      ["ModulaHash (hash % n)", () => new ModulaHash()],
    ];
    for (const [name, make] of placements) {
      const { shares, moved } = placementSpread(make, trials);
      const pct = (x: number) => `${Math.round(x * 100)}%`;
      spreadRows.push({
        placement: name,
        "one node's share": `${pct(Math.min(...shares))} to ${pct(Math.max(...shares))}`,
        "keys moved when one node goes": `${pct(Math.min(...moved))} to ${pct(Math.max(...moved))}`,
      });
    }
    ctx.table(spreadRows);
    const speedUp = totals.get("PostgreSQL only")! / totals.get("memcached")!;
    ctx.metric("memcached vs PostgreSQL only, whole run", Math.round(speedUp * 10) / 10, "x");
    ctx.claim(
      "the workload ran faster behind memcached than against PostgreSQL alone",
      speedUp > 1,
    );
    ctx.claim(
      "an in-process hit was cheaper than a memcached hit",
      hitMedians.get("in-process LRU")! < hitMedians.get("memcached")!,
    );
  },
});
