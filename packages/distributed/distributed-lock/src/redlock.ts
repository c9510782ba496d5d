import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";

// One Redis is one point of failure: if it dies, nobody can lock, and if
// it fails over to a replica that had not yet received our key, two
// clients hold the lock. Redlock (antirez, 2014) runs the same `SET NX PX`
// on N independent Redis servers (no replication between them) and counts
// the lock as ours only if a majority said yes, quickly enough.

const RELEASE = `
if redis.call("GET", KEYS[1]) == ARGV[1] then
  return redis.call("DEL", KEYS[1])
end
return 0
`;

/** A Redlock grant: on which servers we won, and how long we may trust it. */
export interface RedlockLease {
  readonly key: string;
  readonly token: string;
  /** How many of the servers granted it; at least a majority. */
  readonly votes: number;
  /** The TTL minus the time acquiring took and the allowance for clock drift. */
  readonly validityMs: number;
}

export interface RedlockOptions {
  ttlMs?: number;
  /** Per-server time limit for one attempt, small next to the TTL. Default 200. */
  serverTimeoutMs?: number;
  /** Share of the TTL set aside for clocks running at different speeds. Default 0.01. */
  driftFactor?: number;
}

/** The lock over N independent Redis servers, granted by a majority. */
export class Redlock {
  readonly #ttlMs: number;
  readonly #serverTimeoutMs: number;
  readonly #driftFactor: number;

  constructor(
    private readonly servers: Redis[],
    { ttlMs = 10_000, serverTimeoutMs = 200, driftFactor = 0.01 }: RedlockOptions = {},
  ) {
    this.#ttlMs = ttlMs;
    this.#serverTimeoutMs = serverTimeoutMs;
    this.#driftFactor = driftFactor;
  }

  get quorum(): number {
    return Math.floor(this.servers.length / 2) + 1;
  }

  /** One attempt on every server; the lease if a majority granted it in time. */
  async tryAcquire(key: string): Promise<RedlockLease | undefined> {
    const token = randomUUID();
    const started = performance.now();
    // We ask every server at once, and give each only `serverTimeoutMs`: a
    // server that is dead or frozen must cost us a vote, not our whole TTL.
    const granted = await Promise.all(
      this.servers.map((redis) =>
        withTimeout(redis.set(key, token, "PX", this.#ttlMs, "NX"), this.#serverTimeoutMs).then(
          (reply) => reply === "OK",
          () => false,
        ),
      ),
    );
    const votes = granted.filter(Boolean).length;

    // The lock is only as good as the time left on it. Each server started
    // its TTL when it said yes, which may have been a while ago, and their
    // clocks may run a little fast: we subtract both. This is where Redlock
    // depends on timing. It assumes every server measures the TTL at about
    // the same rate, and that we are not paused between this line and our
    // use of the resource.
    const elapsed = performance.now() - started;
    const validityMs = this.#ttlMs - elapsed - (this.#ttlMs * this.#driftFactor + 2);
    if (votes >= this.quorum && validityMs > 0) return { key, token, votes, validityMs };

    // No majority: undo the votes we did win (and any that land late), or
    // they would block everyone for a whole TTL.
    await this.release({ key, token, votes, validityMs: 0 });
    return undefined;
  }

  /** Compare-and-delete on every server; resolves with how many still held our token. */
  async release(lease: RedlockLease): Promise<number> {
    const released = await Promise.all(
      this.servers.map((redis) =>
        withTimeout(redis.eval(RELEASE, 1, lease.key, lease.token), this.#serverTimeoutMs).then(
          (reply) => Number(reply),
          () => 0,
        ),
      ),
    );
    return released.reduce((sum, n) => sum + n, 0);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// What a majority does not buy. Redlock grants no fencing token (its token
// is random, not ordered), so the lease problem of a single Redis remains.
// And a server that restarts without its data (no fsync, no delay before
// rejoining) can vote twice for the same lock: see the Redlock tests.
