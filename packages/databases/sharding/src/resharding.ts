import type { Placement } from "./placement.js";
import { keyOf, type ShardRouter, type User } from "./sharding.js";

// What sharding costs, part two: resharding. Adding a shard means every
// row whose owner changes under the new placement must be copied to its
// new shard and deleted from its old one. How many rows that is depends
// on the placement: about 75% of them going from 3 to 4 shards with
// `hash % n`, about 25% on a consistent-hash ring.
//
// We do it the simple way, with the application stopped: copy, delete,
// then switch the router. A live system must also catch the writes that
// land during the copy (double writes, or logical replication of each
// moving range) and switch over without a gap; that is most of the work
// in Vitess's and Citus's resharding tools.

/** Moves every row to its owner under `next`, then routes by `next`. */
export async function reshard(
  router: ShardRouter,
  next: Placement,
): Promise<{ moved: number; to: Map<string, number> }> {
  const to = new Map<string, number>();
  let moved = 0;
  for (const shard of router.shards()) {
    const { rows } = await router.on<User>(shard, "SELECT * FROM users");
    const leaving = new Map<string, User[]>();
    for (const user of rows) {
      const owner = next.shardFor(keyOf(user.id));
      if (owner !== shard) leaving.set(owner, [...(leaving.get(owner) ?? []), user]);
    }
    for (const [owner, users] of leaving) {
      await router.insertOn(owner, users);
      await router.on(shard, "DELETE FROM users WHERE id = ANY($1::int[])", [
        users.map((u) => u.id),
      ]);
      to.set(owner, (to.get(owner) ?? 0) + users.length);
      moved += users.length;
    }
  }
  router.placement = next;
  return { moved, to };
}
