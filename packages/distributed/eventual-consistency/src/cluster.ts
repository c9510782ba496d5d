import { ChaosProxy, type ServiceHandle, services } from "@playground/kit";
import { Redis } from "ioredis";

/** One replica: its server, the proxy its replication link runs through, and a client. */
export interface Replica {
  name: string;
  server: ServiceHandle;
  link: ChaosProxy;
  client: Redis;
}

/**
 * A real Redis primary with two real `--replicaof` replicas. Each replica
 * streams from the primary through its own ChaosProxy, so each can lag by
 * its own amount: `replicas[i].link.latency(ms)`.
 */
export class Cluster {
  private constructor(
    readonly primary: Redis,
    readonly replicas: Replica[],
    private readonly disposers: (() => Promise<unknown>)[],
  ) {}

  /** Starts the kit's replicated pair plus a second replica of our own. */
  static async start(): Promise<Cluster> {
    const disposers: (() => Promise<unknown>)[] = [];
    try {
      const pair = await services.redisReplicated();
      disposers.push(() => pair[Symbol.asyncDispose]());
      if (!pair.link)
        throw new Error("The replicated pair has no chaos link: use the local backend.");
      const primary = client(pair.primary.url, disposers);

      // The kit gives one replica; we add a second the same way Redis would
      // be told at runtime: `REPLICAOF`, pointed at a proxy in front of the primary.
      const server = await services.redis({ dedicated: true });
      disposers.push(() => server[Symbol.asyncDispose]());
      const link = await ChaosProxy.start({ host: pair.primary.host, port: pair.primary.port });
      disposers.push(() => link.close());
      const second = client(server.url, disposers);
      await second.replicaof(link.host, String(link.port));

      const replicas: Replica[] = [
        {
          name: "replica-1",
          server: pair.replica,
          link: pair.link,
          client: client(pair.replica.url, disposers),
        },
        { name: "replica-2", server, link, client: second },
      ];
      for (const replica of replicas) await linkUp(replica.client);
      // "Link up" is not yet "streaming": right after the syncs we have seen
      // the first write take most of a second to reach a replica. `WAIT`
      // returns once both replicas have a probe write, so we start from there.
      await primary.set("cluster:probe", "ready");
      const streaming = Number(await primary.wait(replicas.length, 10_000));
      if (streaming < replicas.length)
        throw new Error(
          `Only ${streaming} of ${replicas.length} replicas got a probe write in 10 s.`,
        );
      return new Cluster(primary, replicas, disposers);
    } catch (error) {
      for (const dispose of disposers.reverse()) await dispose().catch(() => {});
      throw error;
    }
  }

  /** Sets every replica's link latency, in ms each way. */
  lag(ms: number): void {
    for (const replica of this.replicas) replica.link.latency(ms);
  }

  async close(): Promise<void> {
    for (const dispose of this.disposers.reverse()) await dispose().catch(() => {});
    this.disposers.length = 0;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

function client(url: string, disposers: (() => Promise<unknown>)[]): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  disposers.push(async () => redis.disconnect());
  return redis;
}

/** Waits (bounded) until the replica reports its link to the primary up and its first sync done. */
async function linkUp(replica: Redis, timeoutMs = 20_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const info = await replica.info("replication");
    if (/master_link_status:up/.test(info) && /master_sync_in_progress:0/.test(info)) return;
    if (performance.now() > deadline)
      throw new Error(`A replica's link did not come up within ${timeoutMs} ms.`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
