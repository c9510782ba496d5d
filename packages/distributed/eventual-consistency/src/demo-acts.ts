import type { DemoContext } from "@playground/kit";
import type { Cluster } from "./cluster.js";
import { type AddItem, gCounter, type Resolver, total } from "./conflicts.js";
import { write } from "./eventual-consistency.js";
import { check, History } from "./history.js";
import { MultiPrimary } from "./replicator.js";
import { Session, type SessionOptions } from "./session.js";

// The demo's last two acts, kept apart so that demo.ts reads as the story.

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Four sessions, one per client-side fix, each checked for session violations. */
export async function sessionGuarantees(
  ctx: DemoContext<never>,
  cluster: Cluster,
  nodes: { name: string; client: Cluster["primary"] }[],
) {
  cluster.replicas[0]!.link.latency(10);
  cluster.replicas[1]!.link.latency(100);
  ctx.say(
    "A session writes, then reads at once, 20 ms later and 40 ms later, from two replicas that " +
      "lag 10 ms and 100 ms, while another client writes too.",
  );
  const plain: SessionOptions = { replicas: "any", token: false, primaryAfterWriteMs: 0 };
  const variants: [string, SessionOptions][] = [
    ["plain", plain],
    ["sticky replica", { ...plain, replicas: "sticky" }],
    ["primary after write", { ...plain, primaryAfterWriteMs: 1_000 }],
    ["version token", { ...plain, token: true }],
  ];
  const rows = [];
  for (const [name, options] of variants) {
    const key = `comments:${crypto.randomUUID()}`;
    const history = new History();
    const session = new Session("alice", cluster.primary, nodes, options, history);
    let writing = true;
    const other = (async () => {
      for (let i = 0; writing; i++) {
        await write(cluster.primary, key, `reply ${i}`);
        await pause(5);
      }
    })();
    for (let i = 0; i < 8; i++) {
      await session.write(key, `comment ${i}`);
      await session.read(key);
      await pause(20);
      await session.read(key);
      await pause(20);
      await session.read(key);
    }
    writing = false;
    await other;
    const verdict = check(history.ops);
    const fromPrimary = history.ops.filter((op) => op.f === "read" && op.node === "primary");
    const row = {
      name,
      reads: verdict.reads,
      readYourWrites: verdict.readYourWritesViolations,
      monotonic: verdict.monotonicViolations,
      fallbacks: session.fallbacks,
      primaryReads: fromPrimary.length,
    };
    rows.push(row);
    ctx.event(
      name,
      `${row.readYourWrites} reads missed its own write, ${row.monotonic} went back in time`,
      `${row.primaryReads} of ${row.reads} reads served by the primary`,
    );
  }
  ctx.table(
    rows.map((row) => ({
      session: row.name,
      reads: row.reads,
      "missed own write": row.readYourWrites,
      "went back in time": row.monotonic,
      "read from primary": row.primaryReads,
    })),
  );
  return rows;
}

/** Both primaries add items to one cart during a partition; counts what survives the merge. */
export async function conflict<S>(
  ctx: DemoContext<never>,
  resolver: Resolver<S, AddItem>,
  itemsOf: (state: S) => string[],
  valuesOf: (state: S) => string,
) {
  const system = await MultiPrimary.start(resolver);
  ctx.defer(() => system.close());
  const key = `cart:${crypto.randomUUID()}`;
  await system.update("a", key, { add: "common" });
  await system.untilConverged(key);
  system.partition();
  const acknowledged = ["common"];
  const side = async (name: string, count: number) => {
    for (let i = 1; i <= count; i++) {
      await system.update(name, key, { add: `${name}-${i}` });
      acknowledged.push(`${name}-${i}`);
    }
  };
  await Promise.all([side("a", 20), side("b", 10)]);
  system.heal();
  const state = await system.untilConverged(key);
  await system.close();
  const items = itemsOf(state);
  const lost = acknowledged.filter((item) => !items.includes(item)).length;
  ctx.event(
    resolver.name,
    `healed: ${items.length} of ${acknowledged.length} acknowledged items in the cart`,
    lost ? `${lost} acknowledged adds lost` : "nothing lost",
  );
  return {
    name: resolver.name,
    acknowledged: acknowledged.length,
    survived: acknowledged.length - lost,
    lost,
    values: valuesOf(state),
  };
}

/** Both primaries count increments during a partition in a G-Counter. */
export async function countDuringPartition(ctx: DemoContext<never>) {
  const system = await MultiPrimary.start(gCounter);
  ctx.defer(() => system.close());
  const key = `cart-adds:${crypto.randomUUID()}`;
  system.partition();
  let acknowledged = 0;
  const side = async (name: string, count: number) => {
    for (let i = 0; i < count; i++) {
      await system.update(name, key, { increment: 1 });
      acknowledged++;
    }
  };
  await Promise.all([side("a", 20), side("b", 10)]);
  system.heal();
  const counter = await system.untilConverged(key);
  await system.close();
  const counted = total(counter);
  ctx.event(
    gCounter.name,
    `healed: counts ${counted} of ${acknowledged} acknowledged increments`,
    counted === acknowledged ? "nothing lost" : `${acknowledged - counted} lost`,
  );
  return {
    name: gCounter.name,
    acknowledged,
    survived: counted,
    lost: acknowledged - counted,
    values: `1 counter ${JSON.stringify(counter)}`,
  };
}
