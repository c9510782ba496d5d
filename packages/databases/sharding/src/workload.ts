import type { ShardRouter, User } from "./sharding.js";

/** `count` users with ids 1…count, each with a balance of 100. */
export function makeUsers(count: number, from = 1): User[] {
  const countries = ["US", "GB", "DE", "FR", "NZ", "JP", "BR", "IN"];
  return Array.from({ length: count }, (_, i) => {
    const id = from + i;
    return {
      id,
      email: `user${id}@example.com`,
      name: `User ${id}`,
      country: countries[id % countries.length]!,
      balance: 100,
    };
  });
}

/** A small seeded random generator (mulberry32), so every run draws the same traffic. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// What sharding cannot fix: a hot key. Hashing spreads keys, not the
// traffic per key. If one user (a celebrity, a big tenant) draws a large
// share of the reads, every one of them goes to the shard that owns that
// user, however many shards there are. The fixes live elsewhere: cache
// the hot rows, replicate them for reads, or split the key itself.

/** The ids `requests` reads ask for: `hotShare` of them `hotId`, the rest uniform over `users`. */
export function trafficWithHotKey({
  users,
  requests,
  hotId,
  hotShare,
}: {
  users: number;
  requests: number;
  hotId: number;
  hotShare: number;
}): number[] {
  const random = seeded(46);
  return Array.from({ length: requests }, () =>
    random() < hotShare ? hotId : 1 + Math.floor(random() * users),
  );
}

/** Reads each id through the router, 20 at a time; returns how many reads each shard served. */
export async function read(
  router: ShardRouter,
  ids: readonly number[],
): Promise<Map<string, number>> {
  const before = new Map(router.queries);
  for (let i = 0; i < ids.length; i += 20) {
    await Promise.all(ids.slice(i, i + 20).map((id) => router.get(id)));
  }
  return new Map(router.shards().map((s) => [s, router.queries.get(s)! - (before.get(s) ?? 0)]));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

// To compare a single-shard read with a scatter-gather one we time them
// in pairs, the same user by id and then by email, and take the median
// of the pairs' ratios: a busy moment on the machine slows both halves
// of a pair alike, so it cancels out of that pair's ratio.

/** Median latencies of reading the same users by id and by email, and the median ratio. */
export async function scatterVersusSingle(
  router: ShardRouter,
  ids: readonly number[],
): Promise<{ byIdMs: number; byEmailMs: number; ratio: number }> {
  const byId: number[] = [];
  const byEmail: number[] = [];
  for (const id of ids) {
    byId.push(await timed(() => router.get(id)));
    byEmail.push(await timed(() => router.findByEmail(`user${id}@example.com`)));
  }
  return {
    byIdMs: median(byId),
    byEmailMs: median(byEmail),
    ratio: median(byEmail.map((ms, i) => ms / byId[i]!)),
  };
}
