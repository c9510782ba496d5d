import { randomBytes } from "node:crypto";
import type { ScriptProcess } from "@playground/kit";
import pg from "pg";
import { SharedCounter } from "./shared-counter.js";
import type { LockKind } from "./worker.js";
import { startWorker, type WorkerMessage } from "./worker-process.js";

export interface RaceOptions {
  /** One round per lock, in this order, with the same worker processes. */
  locks: LockKind[];
  workers: number;
  /** Increments per worker per round. */
  times: number;
  /** Time between reading the counter and writing it back. */
  gapMs: number;
  postgres: string;
  redis?: string;
  /** `host:port` of ZooKeeper. */
  zookeeper?: string;
  /** Told when every worker is connected, and as each round ends. */
  onReady?: () => void;
  onRound?: (result: RaceResult) => void;
}

/** How one round ended: what the counter should say, what it says, and what it cost. */
export interface RaceResult {
  lock: LockKind;
  expected: number;
  actual: number;
  lost: number;
  elapsedMs: number;
  /** Mean time a worker waited for the lock, per increment. */
  meanWaitMs: number;
}

/** A fresh, unique name for a schema, key or znode. */
export const uniqueName = (prefix: string) => `${prefix}_${randomBytes(4).toString("hex")}`;

/**
 * Starts `workers` processes that each add 1 to a shared PostgreSQL counter
 * `times` times, all released at once, in one round per lock. The counter
 * starts each round at 0.
 */
export async function counterRace(options: RaceOptions): Promise<RaceResult[]> {
  const schema = uniqueName("race");
  const db = new pg.Client({ connectionString: options.postgres });
  await db.connect();
  const workers: ScriptProcess<WorkerMessage>[] = [];
  try {
    const counter = await SharedCounter.create(db, schema, "hits");
    for (let i = 0; i < options.workers; i++) {
      workers.push(
        startWorker(`worker-${i}`, {
          kind: "increment",
          locks: options.locks,
          counter: "hits",
          times: options.times,
          gapMs: options.gapMs,
          postgres: options.postgres,
          schema,
          lockName: `/${schema}`,
          ...(options.redis ? { redis: options.redis } : {}),
          ...(options.zookeeper ? { zookeeper: options.zookeeper } : {}),
        }),
      );
    }
    // Every worker connects first; then "go" starts them within a millisecond
    // of each other, so the race does not depend on who started faster.
    await Promise.all(workers.map((w) => w.next("ready")));
    options.onReady?.();
    const results: RaceResult[] = [];
    for (const lock of options.locks) {
      await counter.reset("hits");
      const started = performance.now();
      for (const worker of workers) worker.write(`go ${lock}`);
      const done = await Promise.all(workers.map((w) => w.next("done", (m) => m.lock === lock)));
      const elapsedMs = performance.now() - started;
      const expected = options.workers * options.times;
      const actual = await counter.value("hits");
      const waited = done.reduce((sum, m) => sum + Number(m.waitedMs), 0);
      const result = { lock, expected, actual, lost: expected - actual, elapsedMs };
      results.push({ ...result, meanWaitMs: waited / expected });
      options.onRound?.(results.at(-1)!);
    }
    return results;
  } finally {
    await Promise.all(workers.map((w) => w.kill()));
    await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await db.end();
  }
}
