import type { ShardRouter } from "./sharding.js";

// What sharding costs, part one: transactions. Moving money between two
// users is one transaction when both live on the same shard: the debit
// and the credit commit together or not at all. When they live on two
// shards there are two databases and so two transactions, and nothing
// makes them one. If the credit fails after the debit committed, the
// money has left one account and reached none.
//
// Making it atomic takes two-phase commit (PostgreSQL's `PREPARE
// TRANSACTION`, off by default), which blocks both shards while a
// coordinator decides, or a saga, which undoes the debit with a
// compensating write and lets others see the in-between state meanwhile.

/** Moves `amount` from one user's balance to another's, wherever they live. */
export async function transfer(
  router: ShardRouter,
  from: number,
  to: number,
  amount: number,
): Promise<void> {
  const debit = "UPDATE users SET balance = balance - $2 WHERE id = $1";
  const credit = "UPDATE users SET balance = balance + $2 WHERE id = $1";
  const [fromShard, toShard] = [router.shardOf(from), router.shardOf(to)];

  if (fromShard === toShard) {
    // One shard: one transaction, atomic as usual.
    await router.inTransaction(fromShard, async (tx) => {
      await tx.query(debit, [from, amount]);
      await tx.query(credit, [to, amount]);
    });
    return;
  }
  // Two shards: two transactions. The first is committed before the
  // second starts, and cannot be taken back if the second fails.
  await router.inTransaction(fromShard, (tx) => tx.query(debit, [from, amount]));
  await router.inTransaction(toShard, (tx) => tx.query(credit, [to, amount]));
}
