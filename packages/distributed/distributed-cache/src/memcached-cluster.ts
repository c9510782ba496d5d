import { Memcache, ModulaHash } from "memcache";
import type { Cache } from "./distributed-cache.js";
import { KetamaRing } from "./ketama-ring.js";

// memcached servers know nothing of each other: no replication, no
// membership, no rebalancing. The "distributed" part of a memcached
// cluster lives in the client, which hashes each key to pick the one
// server that holds it. So the question that matters is what the client
// does when a server goes away.
//
// We use the `memcache` client for the protocol and let it route each
// key through a placement we choose: `KetamaRing`, a consistent-hash ring
// (`ketama-ring.ts`), or its own `ModulaHash`, the naive
// `hash(key) % nodes`. Here we measure what each costs when a node dies.

/** `consistent`: a hash ring. `modulo`: `hash(key) % nodes`. */
export type Placement = "consistent" | "modulo";

/** Several memcached servers behind one client, which ejects a node on its first failure. */
export class MemcachedCluster implements Cache {
  readonly name: string;
  /** Nodes taken out of the ring after they failed, in order. */
  readonly ejected: string[] = [];
  readonly #client: Memcache;

  /** `nodes` as `host:port`. */
  constructor(
    nodes: readonly string[],
    readonly placement: Placement = "consistent",
  ) {
    this.name = `memcached ×${nodes.length} (${placement})`;
    this.#client = new Memcache({
      nodes: [...nodes],
      hash: placement === "modulo" ? new ModulaHash() : new KetamaRing(),
      timeout: 5000,
    });
  }

  /** Opens a connection to every node now, rather than on first use. */
  async connect(): Promise<this> {
    await this.#client.connect();
    return this;
  }

  /** The nodes still in the ring, as `host:port`. */
  get nodes(): string[] {
    return this.#client.hash.nodes.map((node) => node.id);
  }

  /** The node that holds `key` now: a pure function of the key and the nodes left. */
  nodeFor(key: string): string | undefined {
    return this.#client.hash.getNodesByKey(key)[0]?.id;
  }

  async get(key: string): Promise<string | undefined> {
    return this.#onOwner(key, () => this.#client.get(key));
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    // The client swallows a failed command and answers `false`; a healthy
    // server always stores a `set`, so we make that a failure.
    await this.#onOwner(key, async () => {
      if (!(await this.#client.set(key, value, ttlSeconds))) throw new Error(`set ${key} failed`);
    });
  }

  async delete(key: string): Promise<void> {
    await this.#onOwner(key, () => this.#client.delete(key));
  }

  // When a node fails we take it out of the placement, so that its keys
  // go to the survivors from the next request on, instead of failing over
  // and over. Which keys move is where the two placements part ways: on a
  // ring only the dead node's keys move; under `% n` with one node fewer,
  // most keys move, including those on nodes that are fine. Real clients
  // wait for a few failures before ejecting, and probe to let a node back.
  async #onOwner<R>(key: string, operation: () => Promise<R>): Promise<R> {
    const owner = this.nodeFor(key);
    if (!owner) throw new Error("Every memcached node has been ejected: restart one.");
    try {
      return await operation();
    } catch (error) {
      // We take the node out of the placement only. The client's own
      // `removeNode` also closes the node's socket, and closing it under a
      // connect that another request has in flight leaves that connect
      // pending for ever (memcache 1.7.0).
      if (this.#client.hash.getNode(owner)) {
        this.ejected.push(owner);
        this.#client.hash.removeNode(owner);
      }
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.#client.disconnect();
  }
}
