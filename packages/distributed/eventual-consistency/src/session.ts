import type { Redis } from "ioredis";
import { read, write } from "./eventual-consistency.js";
import type { History } from "./history.js";
import type { ReadNode } from "./workload.js";

// Eventual consistency lets the whole system be behind. What users notice is
// narrower: that *they* went backwards. A user who saves a comment and does
// not see it, or who sees a reply and then, on refresh, no longer does. The
// session guarantees (Terry et al., 1994) promise just that, per client, and
// a client can keep them by itself, without making replication synchronous.

/** How a session routes its reads, and what it remembers. */
export interface SessionOptions {
  /**
   * `any` lets every read go to the next replica in turn, as a load balancer
   * would; `sticky` pins the session to one replica.
   */
  replicas: "any" | "sticky";
  /** Carry a version token and never accept a read older than it. */
  token: boolean;
  /** After each write, read from the primary for this long. 0 never does. */
  primaryAfterWriteMs: number;
}

/** One client's session over a primary and its replicas, recording into `history`. */
export class Session {
  /** The version token: the oldest version of each key this session may still be shown. */
  readonly #floor = new Map<string, number>();
  #lastWriteAt = Number.NEGATIVE_INFINITY;
  #turn = 0;
  /** Reads that a stale replica answered and the primary answered again. */
  fallbacks = 0;

  constructor(
    readonly name: string,
    private readonly primary: Redis,
    private readonly replicas: readonly ReadNode[],
    private readonly options: SessionOptions,
    private readonly history: History,
  ) {}

  async write(key: string, value: string): Promise<number> {
    const version = await this.history.record(this.name, "write", async () => ({
      version: await write(this.primary, key, value),
      node: "primary",
    }));
    this.#lastWriteAt = performance.now();
    this.#raise(key, version);
    return version;
  }

  async read(key: string): Promise<number> {
    const version = await this.history.record(this.name, "read", async () => {
      // Fix 1, read-your-writes by routing: for a while after writing, read
      // where the write went. It only works if the replicas catch up within
      // `primaryAfterWriteMs`, a guess about lag that the network can falsify.
      if (performance.now() - this.#lastWriteAt < this.options.primaryAfterWriteMs) {
        return this.#readFrom(this.#primary, key);
      }
      const answer = await this.#readFrom(this.#pick(), key);
      // Fix 2, the version token: the session knows the newest version it
      // wrote or saw. A replica that answers with something older is behind,
      // so we ask the primary instead (waiting for the replica would do too).
      // One check keeps both read-your-writes and monotonic reads.
      if (this.options.token && answer.version < (this.#floor.get(key) ?? 0)) {
        this.fallbacks++;
        return this.#readFrom(this.#primary, key);
      }
      return answer;
    });
    if (this.options.token) this.#raise(key, version);
    return version;
  }

  // Fix 3, monotonic reads by routing: one replica applies the primary's
  // stream in order, so a session that always reads the same replica can
  // see it lag, but never go back. Two replicas lag by different amounts;
  // alternating between them is how a session sees time run backwards.
  #pick(): ReadNode {
    if (this.options.replicas === "sticky") {
      return this.replicas[hash(this.name) % this.replicas.length]!;
    }
    return this.replicas[this.#turn++ % this.replicas.length]!;
  }

  get #primary(): ReadNode {
    return { name: "primary", client: this.primary };
  }

  async #readFrom(node: ReadNode, key: string): Promise<{ version: number; node: string }> {
    return { version: (await read(node.client, key)).version, node: node.name };
  }

  #raise(key: string, version: number): void {
    this.#floor.set(key, Math.max(this.#floor.get(key) ?? 0, version));
  }
}

function hash(text: string): number {
  let h = 0;
  for (const char of text) h = (h * 31 + char.charCodeAt(0)) >>> 0;
  return h;
}
