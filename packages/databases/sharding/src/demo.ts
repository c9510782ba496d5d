import { defineDemo, type ServiceHandle, services } from "@playground/kit";
import { HashRing, ModuloPlacement, moves } from "./placement.js";
import { reshard } from "./resharding.js";
import { keyOf, ShardRouter } from "./sharding.js";
import { transfer } from "./transfer.js";
import { makeUsers, read, scatterVersusSingle, trafficWithHotKey } from "./workload.js";

const THREE = ["shard-0", "shard-1", "shard-2"];
const FOUR = [...THREE, "shard-3"];
const percent = (share: number) => `${(share * 100).toFixed(1)}%`;
const count = (n: number) => n.toLocaleString("en");

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

export default defineDemo({
  title: "Sharding",
  // No shared server: the shards are servers of our own, started below.
  services: [],
  async run(ctx) {
    // Three independent PostgreSQL servers, each knowing nothing of the
    // others. The router in this process is the only thing that does.
    const servers: ServiceHandle[] = [];
    ctx.defer(() => Promise.all(servers.map((server) => server[Symbol.asyncDispose]())));
    const start = async (): Promise<ServiceHandle> => {
      const server = await services.postgres({ dedicated: true });
      servers.push(server);
      return server;
    };
    await Promise.all(THREE.map(start));
    const router = new ShardRouter(new HashRing(THREE));
    ctx.defer(() => router.close());
    for (const [i, shard] of THREE.entries()) {
      await router.addShard(shard, servers[i]!.url);
      ctx.event(shard, "PostgreSQL ready", servers[i]!.url);
    }

    // Spread: every user goes to the shard its hashed id points at.
    const users = ctx.fast ? 9_000 : 30_000;
    await router.insert(makeUsers(users));
    const before = await router.counts();
    const deviation = Math.max(
      ...[...before.values()].map((n) => Math.abs(n - users / 3) / (users / 3)),
    );
    ctx.event(
      "router",
      `inserted ${count(users)} users by hash of their id on a ring of 3 × 1,000 points`,
      [...before].map(([shard, n]) => `${shard}: ${count(n)}`).join(", "),
    );
    ctx.metric("largest deviation from an even third", Number((deviation * 100).toFixed(1)), "%");

    // One shard or all of them: a read by id against a read by email.
    const lookups = Array.from({ length: 300 }, (_, i) => 1 + ((i * 7919) % users));
    await router.scatter("SELECT 1"); // open a connection to every shard, untimed
    const asked = new Map(router.queries);
    const latency = await scatterVersusSingle(router, lookups);
    const askedPerLookup =
      THREE.reduce((sum, s) => sum + router.queries.get(s)! - asked.get(s)!, 0) /
      (2 * lookups.length);
    const scatterCost = latency.ratio;
    ctx.event("router", "get by id → 1 shard", `median ${latency.byIdMs.toFixed(2)} ms`);
    ctx.event(
      "router",
      "find by email → all 3 shards (scatter-gather)",
      `median ${latency.byEmailMs.toFixed(2)} ms`,
    );
    ctx.metric("scatter-gather ÷ single-shard latency", Number(scatterCost.toFixed(2)), "x");

    // A hot key: one user draws 30% of all reads.
    const hotId = 42;
    const hotOwner = router.shardOf(hotId);
    const traffic = trafficWithHotKey({
      users,
      requests: ctx.fast ? 900 : 3_000,
      hotId,
      hotShare: 0.3,
    });
    const reads = await read(router, traffic);
    const hotShare = reads.get(hotOwner)! / traffic.length;
    ctx.event(
      "router",
      `${count(traffic.length)} reads, 30% of them for user ${hotId}`,
      [...reads].map(([shard, n]) => `${shard}: ${percent(n / traffic.length)}`).join(", "),
    );
    ctx.metric(
      "share of reads on the hot user's shard, 3 shards",
      Number((hotShare * 100).toFixed(1)),
      "%",
    );

    // Adding a fourth shard, computed on 100,000 keys: which keys change owner?
    const keys = Array.from({ length: 100_000 }, (_, i) => keyOf(i + 1));
    const modulo = moves(new ModuloPlacement(THREE), new ModuloPlacement(FOUR), keys);
    const ring = moves(new HashRing(THREE), new HashRing(FOUR), keys);
    ctx.event(
      "placement",
      "hash % n, 3 → 4 shards",
      `${percent(modulo.share)} of 100,000 keys move`,
    );
    ctx.event(
      "placement",
      "consistent-hash ring, 3 → 4 shards",
      `${percent(ring.share)} of 100,000 keys move, all to shard-3`,
    );
    ctx.metric("keys moved, modulo", Number((modulo.share * 100).toFixed(1)), "%");
    ctx.metric("keys moved, consistent hashing", Number((ring.share * 100).toFixed(1)), "%");

    // And for real: a fourth server joins, and the rows that now belong
    // to it are copied over and deleted where they were.
    const fourth = await start();
    await router.addShard("shard-3", fourth.url);
    ctx.event("shard-3", "PostgreSQL ready", fourth.url);
    const reshardMs = await timed(async () => {
      const { moved } = await reshard(router, new HashRing(FOUR));
      ctx.event(
        "router",
        `resharded 3 → 4: ${count(moved)} of ${count(users)} rows copied (${percent(moved / users)})`,
        "all of them to shard-3",
      );
    });
    const after = await router.counts();
    const movedRows = after.get("shard-3")!;
    ctx.metric("resharding time", Math.round(reshardMs), "ms");

    // Did the fourth shard relieve the hot key? The same traffic again.
    const readsAfter = await read(router, traffic);
    const hotOwnerAfter = router.shardOf(hotId);
    const hotShareAfter = readsAfter.get(hotOwnerAfter)! / traffic.length;
    ctx.metric(
      "share of reads on the hot user's shard, 4 shards",
      Number((hotShareAfter * 100).toFixed(1)),
      "%",
    );
    ctx.event(
      "router",
      `the same ${count(traffic.length)} reads on 4 shards`,
      [...readsAfter].map(([shard, n]) => `${shard}: ${percent(n / traffic.length)}`).join(", "),
    );

    // What no router hides: a transfer between users on two shards is two
    // transactions. The credit fails (the recipient is at the balance
    // cap) after the debit has committed.
    const [from, to] = differentShards(router);
    await router.on(router.shardOf(to), "UPDATE users SET balance = 990 WHERE id = $1", [to]);
    const failure = await transfer(router, from, to, 50).then(
      () => "succeeded",
      (error: { code?: string }) => `failed (${error.code})`,
    );
    const sender = (await router.get(from))!.balance;
    const recipient = (await router.get(to))!.balance;
    ctx.event(
      "router",
      `transfer 50 from user ${from} (${router.shardOf(from)}) to user ${to} (${router.shardOf(to)}): credit ${failure}`,
      `sender ${sender}, recipient ${recipient}: 50 vanished`,
    );

    ctx.table(
      FOUR.map((shard) => ({
        shard,
        "users, 3 shards": before.get(shard) ?? 0,
        "hot-key reads, 3 shards": reads.get(shard) ?? 0,
        "users, 4 shards": after.get(shard)!,
        "hot-key reads, 4 shards": readsAfter.get(shard)!,
      })),
    );

    ctx.claim("hashing spread the users within ±10% of even over three servers", deviation < 0.1);
    ctx.claim(
      "a read by id asked one shard; a read by email asked all three and took longer",
      askedPerLookup === 2 && scatterCost > 1.1,
    );
    ctx.claim(
      "one hot user put all its reads on one shard, about half of all traffic, and a fourth shard barely relieved it",
      hotShare > 0.45 && hotShareAfter > 0.4,
    );
    ctx.claim(
      "going from 3 to 4 shards moves about 75% of keys with hash % n and about 25% on a consistent-hash ring",
      modulo.share > 0.7 && modulo.share < 0.8 && ring.share > 0.2 && ring.share < 0.3,
    );
    ctx.claim(
      "resharding real rows onto a fourth server copied about a quarter of them, all to the new server, and lost none",
      movedRows / users > 0.2 &&
        movedRows / users < 0.3 &&
        [...after.values()].reduce((a, b) => a + b) === users,
    );
    ctx.claim(
      "a transfer across two shards is two transactions: the debit stayed when the credit failed",
      failure.startsWith("failed") && sender === 50 && recipient === 990,
    );
  },
});

/** A sender and a recipient that live on different shards. */
function differentShards(router: ShardRouter): [number, number] {
  const from = 501;
  let to = from + 1;
  while (router.shardOf(to) === router.shardOf(from)) to++;
  return [from, to];
}
