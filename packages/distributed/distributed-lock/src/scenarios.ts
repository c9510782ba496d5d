import pg from "pg";
import { uniqueName } from "./counter-race.js";
import { FencedStore } from "./fenced-store.js";
import { startWorker, type WorkerMessage } from "./worker-process.js";
import { ZooKeeper } from "./zookeeper-client.js";
import { type WatchStrategy, type ZooKeeperLease, ZooKeeperLock } from "./zookeeper-lock.js";

// The stories the tests and the demo both tell, with real processes and
// real servers. Each returns what happened; the caller judges it.

export interface LeaseStory {
  lockedA: WorkerMessage;
  lockedB: WorkerMessage;
  wroteB: WorkerMessage;
  wroteA: WorkerMessage;
  /** Had A written anything before we thawed it? (It must not have.) */
  aWroteWhilePaused: boolean;
  beforeWake: { body: string; fence: number };
  after: { body: string; fence: number };
}

/**
 * The lease problem. Worker A takes the lock and is frozen by SIGSTOP right
 * after it says "locked" (it sends the signal itself, so the pause always
 * lands before its write). Worker B waits for the lock, gets it once A's
 * lease has ended (Redis TTL, or ZooKeeper session), writes and leaves.
 * Then we thaw A with SIGCONT: it finishes its work and writes, believing
 * it still holds the lock. With `fenced`, each write carries its token.
 */
export async function pausedHolderWritesLate(options: {
  lock: "redis" | "zookeeper";
  fenced: boolean;
  postgres: string;
  redis?: string;
  zookeeper?: string;
  /** Redis lease length; ZooKeeper's is the session timeout. */
  ttlMs?: number;
}): Promise<LeaseStory> {
  const db = new pg.Client({ connectionString: options.postgres });
  await db.connect();
  const schema = uniqueName("lease");
  try {
    const store = await FencedStore.create(db, schema, "doc");
    const job = {
      kind: "lease",
      lock: options.lock,
      fenced: options.fenced,
      document: "doc",
      postgres: options.postgres,
      schema,
      lockName: options.lock === "zookeeper" ? `/${schema}` : schema,
      ...(options.redis ? { redis: options.redis } : {}),
      ...(options.zookeeper ? { zookeeper: options.zookeeper } : {}),
    } as const;
    await using a = startWorker("A", {
      ...job,
      ttlMs: options.ttlMs ?? 1_000,
      workMs: 100,
      freezeAfterLocking: true,
      body: "A",
    });
    const lockedA = await a.next("locked");

    await using b = startWorker("B", { ...job, workMs: 0, body: "B" });
    const lockedB = await b.next("locked");
    const wroteB = await b.next("wrote");
    const beforeWake = await store.read("doc");
    const aWroteWhilePaused = a.events.some((m) => m.type === "wrote");

    a.resume();
    const wroteA = await a.next("wrote");
    const after = await store.read("doc");
    return { lockedA, lockedB, wroteB, wroteA, aWroteWhilePaused, beforeWake, after };
  } finally {
    await db.query(`DROP SCHEMA ${schema} CASCADE`);
    await db.end();
  }
}

type State = "waiting" | "woken" | "held";

/** Follows contenders' states; `until` resolves once `condition` holds over them. */
export function follow(locks: ZooKeeperLock[]) {
  const states = new Map<ZooKeeperLock, State>();
  let recheck = () => {};
  for (const lock of locks)
    lock.onChange = (state) => {
      states.set(lock, state);
      recheck();
    };
  const count = (state: State) => locks.filter((l) => states.get(l) === state).length;
  const until = (condition: () => boolean) =>
    new Promise<void>((resolve) => {
      recheck = () => {
        if (condition()) resolve();
      };
      recheck();
    });
  return { states, count, until };
}

/**
 * One holder and `waiters` waiters, each on a ZooKeeper session of its own.
 * The holder releases, then each next holder in turn. After each release,
 * once the next holder has the lock and every other waiter is waiting again,
 * we count the watches that fired: the wake-ups that release cost.
 */
export async function wakeUpsPerRelease(
  connection: string,
  strategy: WatchStrategy,
  waiters = 4,
): Promise<number[]> {
  const root = `/${uniqueName("herd")}`;
  const sessions = await Promise.all(
    Array.from({ length: waiters + 1 }, () => ZooKeeper.connect(connection)),
  );
  try {
    const [holder, ...queue] = sessions.map((zk) => new ZooKeeperLock(zk, root, strategy));
    let lease: ZooKeeperLease = await holder!.acquire();
    const { states, count, until } = follow(queue);
    const pending = queue.map((waiter) => waiter.acquire());
    await until(() => count("waiting") === waiters);
    const fired = () => queue.reduce((sum, w) => sum + w.watchesFired, 0);

    const wakeUps: number[] = [];
    const served = new Set<ZooKeeperLock>();
    let current = holder!;
    for (let released = 1; released <= waiters; released++) {
      const before = fired();
      await current.release(lease);
      await until(() => count("held") === released && count("waiting") === waiters - released);
      wakeUps.push(fired() - before);
      const next = queue.find((w) => states.get(w) === "held" && !served.has(w))!;
      served.add(next);
      lease = await pending[queue.indexOf(next)]!;
      current = next;
    }
    await current.release(lease);
    return wakeUps;
  } finally {
    for (const session of sessions) session.close();
  }
}
