import { ChaosProxy, type ReplicatedHandle, services } from "@playground/kit";
import { Redis } from "ioredis";
import type { Client, PartitionableSystem } from "./cap-theorem.js";
import { agreed } from "./cp-postgres.js";

// The AP choice: Redis with its default, asynchronous replication. The
// primary acknowledges a write as soon as it is in its own memory; the
// replica gets it later, or, during a partition, not at all.

const KEY = "cap:set";

/** Someone in the system did something worth narrating: a failover, a rejoin. */
export type SystemEvent = (actor: string, what: string, detail?: string) => void;

/**
 * A Redis primary and its replica, plus the failover a Sentinel on the
 * replica's side would do: when `b` cannot reach the primary for
 * `detectAfterMs`, it promotes the replica and writes there.
 */
export class AsyncRedis implements PartitionableSystem {
  readonly name = "AP: Redis, async replication + failover";
  readonly a: Client;
  readonly b: Client;
  #promoted = false;

  private constructor(
    readonly pair: ReplicatedHandle,
    private readonly bToPrimary: ChaosProxy,
    private readonly clients: { primary: Redis; replica: Redis; bToPrimary: Redis },
    private readonly detectAfterMs: number,
    private readonly onEvent: SystemEvent,
  ) {
    this.a = {
      write: async (value) => void (await clients.primary.zadd(KEY, value, String(value))),
      read: () => members(clients.primary),
    };
    this.b = { write: (value) => this.#writeFromB(value), read: () => members(clients.replica) };
  }

  static async start({
    detectAfterMs,
    onEvent = () => {},
  }: {
    detectAfterMs: number;
    onEvent?: SystemEvent;
  }): Promise<AsyncRedis> {
    const pair = await services.redisReplicated();
    const bToPrimary = await ChaosProxy.start({
      host: pair.primary.host,
      port: pair.primary.port,
    }).catch(async (error: unknown) => {
      await pair[Symbol.asyncDispose]();
      throw error;
    });
    const clients = {
      primary: new Redis(pair.primary.url),
      replica: new Redis(pair.replica.url),
      // No reconnecting: once `b` has given up on the old primary, it stays away.
      bToPrimary: new Redis(bToPrimary.port, bToPrimary.host, {
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      }),
    };
    // A reset connection fails the commands on it, which is how the
    // experiment sees it; the client's own error event adds nothing.
    for (const client of Object.values(clients)) client.on("error", () => {});
    // "Link up" is not yet "streaming"; we start once a probe write has
    // reached the replica (`WAIT`), so the healthy phase really is healthy.
    await clients.primary.set("cap:probe", "ready");
    await clients.primary.wait(1, 10_000);
    return new AsyncRedis(pair, bToPrimary, clients, detectAfterMs, onEvent);
  }

  /** True once the replica was promoted. */
  get promoted(): boolean {
    return this.#promoted;
  }

  // `b` writes to the primary while it answers. When a write gets no answer
  // within `detectAfterMs`, we do what Sentinel (or a cloud provider's
  // failover) does on the replica's side: promote the replica, and send the
  // writes there. On the other side the old primary does not know, and its
  // clients keep writing to it: two primaries, each saying yes.
  async #writeFromB(value: number): Promise<void> {
    const { replica, bToPrimary } = this.clients;
    if (this.#promoted) {
      await replica.zadd(KEY, value, String(value));
      return;
    }
    const write = bToPrimary.zadd(KEY, value, String(value));
    write.catch(() => {});
    let timer: NodeJS.Timeout | undefined;
    const silent = new Promise<"silent">((resolve) => {
      timer = setTimeout(() => resolve("silent"), this.detectAfterMs);
    });
    const answer = await Promise.race([write, silent]).finally(() => clearTimeout(timer));
    if (answer !== "silent") return;
    await replica.replicaof("NO", "ONE");
    this.#promoted = true;
    this.onEvent(
      "failover",
      "promoted the replica",
      `no answer from the primary in ${this.detectAfterMs} ms`,
    );
    throw new Error("The primary did not answer; the replica was promoted. Retry the write.");
  }

  partition(): void {
    this.pair.link!.blackhole();
    this.bToPrimary.blackhole();
  }

  // Healing is where the AP bill arrives. The old primary learns there is a
  // new one and rejoins it as a replica. Its history since the split has no
  // place in the new primary's, so it throws its data away and copies the
  // new primary's: a full resync. Every write it acknowledged meanwhile is gone.
  async heal(): Promise<void> {
    const { primary } = this.clients;
    if (!this.#promoted) {
      this.pair.link!.restore();
      this.bToPrimary.restore();
      await primary.wait(1, 10_000);
      return;
    }
    // The connections the replica's side gave up on during the split lead
    // nowhere now, so we reset them rather than deliver what they held.
    // (Delivering it makes the kit's ChaosProxy leak a socket on close.)
    for (const proxy of [this.pair.link!, this.bToPrimary]) {
      proxy.cut();
      proxy.restore();
    }
    await primary.replicaof(this.pair.replica.host, String(this.pair.replica.port));
    await linkUp(primary);
    this.onEvent(
      "old primary",
      "rejoined as a replica of the new primary",
      "full resync: its own writes since the split discarded",
    );
  }

  async final(): Promise<number[]> {
    const { primary, replica } = this.clients;
    const [current, other] = this.#promoted ? [replica, primary] : [primary, replica];
    return agreed(
      () => members(current),
      () => members(other),
    );
  }

  async close(): Promise<void> {
    await this.bToPrimary.close();
    // (ioredis arms a 2 s timer when asked to disconnect a connection that already ended.)
    for (const client of Object.values(this.clients)) {
      if (client.status !== "end") client.disconnect();
    }
    await this.pair[Symbol.asyncDispose]();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

async function members(redis: Redis): Promise<number[]> {
  return (await redis.zrange(KEY, 0, -1)).map(Number);
}

async function linkUp(redis: Redis, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const info = await redis.info("replication");
    if (/master_link_status:up/.test(info) && /master_sync_in_progress:0/.test(info)) return;
    if (performance.now() > deadline)
      throw new Error(`The old primary did not resync with the new one within ${timeoutMs} ms.`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
