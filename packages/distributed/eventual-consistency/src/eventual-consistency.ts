import type { Redis } from "ioredis";

// Eventual consistency is what a client sees when a write is acknowledged by
// one node and reaches the others later. Redis replication is like that: the
// primary answers `OK` as soon as the write is in its own memory, and streams
// it to its replicas afterwards. A replica is a copy of the past, and how far
// in the past is the replication lag.

// To tell an old value from a new one we never compare values. Every write
// gets a `version`, assigned by the primary in the same atomic step as the
// write, so versions order the writes the way the primary applied them.
const WRITE = `
local version = redis.call('HINCRBY', KEYS[1], 'version', 1)
redis.call('HSET', KEYS[1], 'value', ARGV[1])
return version`;

/** A register as one node has it. Version 0 means the node has never seen a write. */
export interface Versioned {
  version: number;
  value: string | null;
}

/** Writes `value` on the primary; resolves with the version the primary gave it, once acknowledged. */
export async function write(primary: Redis, key: string, value: string): Promise<number> {
  return Number(await primary.eval(WRITE, 1, key, value));
}

/** Reads the register from one node, primary or replica, in one atomic command. */
export async function read(node: Redis, key: string): Promise<Versioned> {
  const [version, value] = await node.hmget(key, "version", "value");
  return { version: Number(version ?? 0), value: value ?? null };
}

// A replica that answers with an older version is not broken: it is behind.
// Nothing tells the client so: the read succeeds, quickly, with old data.
// That is the "stale read", and with a lagging link it is the normal case
// right after a write, not a rare race.

/** True when `node` returns an older version than `version`: a stale read. */
export async function isStale(node: Redis, key: string, version: number): Promise<boolean> {
  return (await read(node, key)).version < version;
}

// "Eventually" is a promise about what happens once writes stop: every
// replica ends up with the last write. It says nothing about how long that
// takes, so we measure it, the way a client would see it: from the moment
// the last write was acknowledged until a read of the replica returns it.
// Nothing announces that moment to a client, so we poll, with a deadline,
// because a replica cut off from its primary never converges.

/** How the replica converged: how long after `since` it first returned `version`, and after how many reads. */
export interface Convergence {
  ms: number;
  reads: number;
}

/**
 * Reads `replica` until it returns at least `version`, and measures the time
 * from `since` (a `performance.now()` reading, usually the write's
 * acknowledgement). Rejects after `timeoutMs`: it never converged.
 */
export async function untilConverged(
  replica: Redis,
  key: string,
  version: number,
  { since = performance.now(), timeoutMs = 10_000, pollMs = 1 } = {},
): Promise<Convergence> {
  let reads = 0;
  for (;;) {
    reads++;
    if (!(await isStale(replica, key, version))) return { ms: performance.now() - since, reads };
    if (performance.now() - since > timeoutMs) {
      throw new Error(
        `The replica did not reach version ${version} of "${key}" within ${timeoutMs} ms: ` +
          "check that its replication link is up (INFO replication: master_link_status).",
      );
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

// Redis can be asked to wait for its replicas: `WAIT numreplicas timeout`
// blocks the writer until that many replicas acknowledged every write it
// made so far. That buys read-your-writes on the replicas at the price of a
// replication round trip on every write, and it is still not a transaction:
// a write that times out in `WAIT` has happened on the primary anyway.

/** Writes, then waits until `replicas` replicas have it (or `timeoutMs` passes); resolves with the version and the count that acknowledged. */
export async function writeAndWait(
  primary: Redis,
  key: string,
  value: string,
  replicas: number,
  timeoutMs: number,
): Promise<{ version: number; acknowledgedBy: number }> {
  const version = await write(primary, key, value);
  const acknowledgedBy = Number(await primary.wait(replicas, timeoutMs));
  return { version, acknowledgedBy };
}
