import type { ZooKeeper } from "./zookeeper-client.js";

// ZooKeeper has no lock command; the lock is a recipe over znodes. Every
// contender creates an EPHEMERAL_SEQUENTIAL child under the lock's path:
// ZooKeeper appends a counter (lock-0000000007), so the children form a
// queue in the order they arrived, and the lowest one holds the lock.
//
// "Ephemeral" is what replaces Redis's TTL: the node lives as long as its
// creator's session. A holder that crashes stops sending heartbeats, the
// server expires its session after the session timeout, and deletes its
// nodes; the next in line gets the lock. No clock on the client decides.

/** How a waiter learns its turn has come. */
export type WatchStrategy =
  /** The recipe: watch only the node just ahead of ours. */
  | "predecessor"
  /** The naive way: watch the lock's children, so every change wakes everyone. */
  | "children";

/** A held ZooKeeper lock: our znode, and its creation zxid as the fencing token. */
export interface ZooKeeperLease {
  readonly node: string;
  readonly fence: number;
}

const sequence = (name: string) => Number(name.slice(name.lastIndexOf("-") + 1));

/** A lock at `root`, one contender per session. */
export class ZooKeeperLock {
  /** How many watches fired for this contender: the wake-ups it paid for. */
  watchesFired = 0;
  /** Told when we start waiting for a watch, when one wakes us, and when we get the lock. */
  onChange: (state: "waiting" | "woken" | "held") => void = () => {};

  constructor(
    private readonly zk: ZooKeeper,
    readonly root: string,
    private readonly strategy: WatchStrategy = "predecessor",
  ) {}

  /** Queues for the lock and resolves once we are first in line. */
  async acquire(): Promise<ZooKeeperLease> {
    await this.zk.mkdirp(this.root);
    const node = await this.zk.createEphemeralSequential(`${this.root}/lock-`);
    const ours = node.slice(this.root.length + 1);
    let held = false;
    for (;;) {
      // One wake-up at a time: whichever watch we set, we wait for it. (A
      // watch on the children may still fire after we hold the lock; by then
      // nobody is waiting for it.)
      let woken!: () => void;
      const wakeUp = new Promise<void>((resolve) => {
        woken = resolve;
      });
      const watcher = () => {
        if (held) return;
        this.watchesFired++;
        this.onChange("woken");
        woken();
      };
      const queue = (
        await this.zk.children(this.root, this.strategy === "children" ? watcher : undefined)
      ).sort((a, b) => sequence(a) - sequence(b));
      const place = queue.indexOf(ours);
      if (place === 0) {
        held = true;
        const fence = await this.#fence(node);
        this.onChange("held");
        return { node, fence };
      }

      // The herd effect: with a watch on the children, one release wakes
      // every waiter, and all of them ask ZooKeeper for the list again, only
      // for one to win. Watching just our predecessor wakes exactly one
      // waiter per release. If the predecessor is already gone by the time
      // we set the watch, `exists` says so and we look again at once.
      if (this.strategy === "predecessor") {
        const predecessor = `${this.root}/${queue[place - 1]}`;
        if (!(await this.zk.exists(predecessor, watcher))) continue;
      }
      this.onChange("waiting");
      await wakeUp;
    }
  }

  // The fencing token comes free: `czxid`, the id of the transaction that
  // created our node. ZooKeeper orders all writes, so a later holder's node
  // always has a larger one, even after the server restarts.
  async #fence(node: string): Promise<number> {
    const stat = await this.zk.exists(node);
    if (!stat) throw new Error(`Our lock node ${node} vanished: our session expired. Retry.`);
    return Number(stat.czxid.readBigInt64BE());
  }

  /** Deletes our node; the next in line is told by its watch. */
  async release(lease: ZooKeeperLease): Promise<void> {
    await this.zk.remove(lease.node);
  }
}

// What the session does *not* fix. The session timeout is a lease, like
// Redis's TTL: a holder paused for longer than it comes back to a lock
// that is no longer its own, and only learns so at its next call to the
// server. So ZooKeeper locks also need fencing; `czxid` is the token.
