import { ChaosProxy, type ServiceHandle, services } from "@playground/kit";
import { Redis } from "ioredis";
import type { Resolver } from "./conflicts.js";

// Redis replication has one primary: replicas refuse writes. To watch two
// nodes accept conflicting writes we need two primaries, which Redis itself
// does not do (Redis Enterprise's Active-Active does, with CRDTs). So we run
// two independent Redis servers and replicate between them ourselves: a few
// lines that ship each locally written key to the peer and merge it there.

const OUTBOX = "replicator:outbox";

interface Node {
  name: string;
  server: ServiceHandle;
  /** The application's connection, for local writes and reads. */
  local: Redis;
  /** The replicator's blocking connection to its own outbox. */
  outbox: Redis;
  /** The replicator's connection to the peer, through a proxy we can partition. */
  peer: Redis;
  toPeer: ChaosProxy;
  /** Local writes run one at a time: `WATCH` belongs to a connection. */
  serial: Promise<unknown>;
}

/** Two Redis primaries that both accept writes and converge through `resolver.merge`. */
export class MultiPrimary<State, Op> {
  #running = true;
  #failure: unknown;
  readonly #loops: Promise<void>[];

  private constructor(
    readonly resolver: Resolver<State, Op>,
    readonly nodes: readonly [Node, Node],
    private readonly skewMs: Record<string, number>,
  ) {
    this.#loops = nodes.map((node) => this.#replicate(node));
  }

  /**
   * Starts two dedicated Redis servers named `names`, and the replicator.
   * `skewMs` sets a node's clock ahead (or behind) of the others.
   */
  static async start<State, Op>(
    resolver: Resolver<State, Op>,
    {
      names = ["a", "b"],
      skewMs = {},
    }: { names?: [string, string]; skewMs?: Record<string, number> } = {},
  ): Promise<MultiPrimary<State, Op>> {
    const servers = await Promise.all(names.map(() => services.redis({ dedicated: true })));
    const nodes = await Promise.all(
      names.map(async (name, i) => {
        const server = servers[i]!;
        const peer = servers[1 - i]!;
        const toPeer = await ChaosProxy.start({ host: peer.host, port: peer.port });
        const node: Node = {
          name,
          server,
          local: new Redis(server.url),
          outbox: new Redis(server.url),
          peer: new Redis(toPeer.port, toPeer.host, {
            maxRetriesPerRequest: null,
            retryStrategy: () => null, // a closed proxy means we are shutting down
          }),
          toPeer,
          serial: Promise.resolve(),
        };
        // A partition or a closed proxy fails the commands in flight; that
        // is how we see it, so the clients' own error events add nothing.
        for (const client of [node.local, node.outbox, node.peer]) client.on("error", () => {});
        return node;
      }),
    );
    return new MultiPrimary(resolver, [nodes[0]!, nodes[1]!], skewMs);
  }

  /** The node called `name`. */
  node(name: string): Node {
    const node = this.nodes.find((n) => n.name === name);
    if (!node)
      throw new Error(`No node "${name}": the nodes are ${this.nodes.map((n) => n.name)}.`);
    return node;
  }

  // A local write is acknowledged once it is in the local Redis, and the key
  // goes into the local outbox in the same transaction. `WATCH` makes the
  // read-modify-write safe against the replicator merging into the same key.
  /** Applies `op` on node `name`; resolves once that node has it (not its peer). */
  update(name: string, key: string, op: Op): Promise<State> {
    const node = this.node(name);
    const run = node.serial.then(() =>
      transact(node.local, key, this.resolver, { ship: true }, (state) =>
        this.resolver.apply(state, op, node.name, Date.now() + (this.skewMs[node.name] ?? 0)),
      ),
    );
    node.serial = run.catch(() => {});
    return run;
  }

  /** The key as node `name` has it now. */
  async read(name: string, key: string): Promise<State> {
    return parse(await this.node(name).local.get(key), this.resolver);
  }

  // The replicator: take a key from the outbox, read our copy, merge it into
  // the peer's. During a partition the peer's connection holds the bytes, so
  // the loop waits, and the outbox grows; when the partition heals, it drains.
  async #replicate(from: Node): Promise<void> {
    while (this.#running) {
      try {
        const popped = await from.outbox.blpop(OUTBOX, 0);
        if (!popped) continue;
        const ours = parse(await from.outbox.get(popped[1]), this.resolver);
        // What we merge into the peer is not queued again: the peer's own
        // writes are already in its own outbox, so nothing bounces forever.
        await transact(from.peer, popped[1], this.resolver, { ship: false }, (theirs) =>
          this.resolver.merge(theirs, ours),
        );
      } catch (error) {
        if (this.#running) this.#failure = error;
        return;
      }
    }
  }

  /** Cuts both directions of replication: each node keeps accepting writes alone. */
  partition(): void {
    for (const node of this.nodes) node.toPeer.blackhole();
  }

  heal(): void {
    for (const node of this.nodes) node.toPeer.restore();
  }

  /** Waits (bounded) until both nodes hold the same state for `key`; resolves with it. */
  async untilConverged(key: string, timeoutMs = 10_000): Promise<State> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      if (this.#failure) throw this.#failure;
      const [a, b] = await Promise.all(this.nodes.map((node) => this.read(node.name, key)));
      const { merge } = this.resolver;
      if (same(merge(a!, b!), a) && same(merge(b!, a!), b)) return a!;
      if (performance.now() > deadline)
        throw new Error(`The nodes did not converge on "${key}" within ${timeoutMs} ms.`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  async close(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    // Proxies first: closing them resets live connections, and only then
    // do the clients let go of theirs.
    for (const node of this.nodes) await node.toPeer.close();
    for (const node of this.nodes) {
      for (const client of [node.outbox, node.peer, node.local]) {
        if (client.status !== "end") client.disconnect(); // an ended one would arm a 2 s timer
      }
    }
    await Promise.allSettled(this.#loops);
    await Promise.all(this.nodes.map((node) => node.server[Symbol.asyncDispose]()));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/**
 * Read-modify-write of `key` under `WATCH`, retried until no one wrote it
 * meanwhile; with `ship`, the key joins the outbox in the same transaction.
 */
async function transact<State, Op>(
  redis: Redis,
  key: string,
  resolver: Resolver<State, Op>,
  { ship }: { ship: boolean },
  change: (state: State) => State,
): Promise<State> {
  for (;;) {
    await redis.watch(key);
    const next = change(parse(await redis.get(key), resolver));
    const transaction = redis.multi().set(key, JSON.stringify(next));
    if (ship) transaction.rpush(OUTBOX, key);
    if (await transaction.exec()) return next;
  }
}

function parse<State, Op>(raw: string | null, resolver: Resolver<State, Op>): State {
  return raw === null ? resolver.empty() : (JSON.parse(raw) as State);
}

/** Equal as JSON with object keys sorted. */
function same(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}
