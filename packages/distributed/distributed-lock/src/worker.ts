// One worker process. Tests and the demo start several of these (see
// `startWorker`) so that contenders for the lock are real processes that
// can be frozen and killed. It reads its job from argv as JSON, speaks JSON
// lines on stdout, and takes "go" and "release" on stdin. When stdin closes
// (its parent is gone) it exits.
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import pg from "pg";
import { AdvisoryLock } from "./advisory-lock.js";
import { RedisLock } from "./distributed-lock.js";
import { FencedStore } from "./fenced-store.js";
import { SharedCounter } from "./shared-counter.js";
import { ZooKeeper } from "./zookeeper-client.js";
import { ZooKeeperLock } from "./zookeeper-lock.js";

export type LockKind = "none" | "redis" | "zookeeper" | "advisory";

interface Servers {
  postgres: string;
  schema: string;
  /** `redis://…`, needed by the redis lock. */
  redis?: string;
  /** `host:port`, needed by the zookeeper lock. */
  zookeeper?: string;
  lockName: string;
}

/** What a worker is asked to do. */
export type WorkerJob = Servers &
  (
    | {
        kind: "increment";
        /** Each round ("go <lock>" on stdin) uses one of these. */
        locks: LockKind[];
        counter: string;
        times: number;
        gapMs: number;
      }
    | {
        kind: "lease";
        lock: "redis" | "zookeeper";
        ttlMs?: number;
        workMs: number;
        /** Send ourselves SIGSTOP right after taking the lock: a pause at the worst moment. */
        freezeAfterLocking?: boolean;
        fenced: boolean;
        document: string;
        body: string;
      }
    | { kind: "hold"; lock: "zookeeper" | "advisory" }
  );

/** The worker's side of one critical section: take it, do `work`, give it back. */
interface Mutex {
  run(work: (fence: number) => Promise<void>): Promise<void>;
  /** What the lock wants to tell about itself, e.g. the ZooKeeper session timeout. */
  details?: Record<string, unknown>;
  close(): Promise<void>;
}

async function mutex(lock: LockKind, job: WorkerJob, db: pg.Client): Promise<Mutex> {
  switch (lock) {
    case "none":
      return { run: (work) => work(0), close: async () => {} };
    case "redis": {
      const redis = new Redis(job.redis!);
      const ttlMs = (job.kind === "lease" ? job.ttlMs : undefined) ?? 10_000;
      const redisLock = new RedisLock(redis, job.lockName, { ttlMs, waitMs: 60_000 });
      return {
        run: (work) => redisLock.withLock((lease) => work(lease.fence)),
        close: async () => void redis.disconnect(),
      };
    }
    case "zookeeper": {
      const zk = await ZooKeeper.connect(job.zookeeper!);
      const zkLock = new ZooKeeperLock(zk, job.lockName);
      return {
        async run(work) {
          const lease = await zkLock.acquire();
          try {
            await work(lease.fence);
          } finally {
            await zkLock.release(lease);
          }
        },
        close: async () => zk.close(),
        details: { sessionTimeoutMs: zk.sessionTimeoutMs },
      };
    }
    case "advisory": {
      const advisory = new AdvisoryLock(db, job.lockName);
      return {
        async run(work) {
          await advisory.acquire();
          try {
            await work(0);
          } finally {
            await advisory.release();
          }
        },
        close: async () => {},
      };
    }
  }
}

const say = (message: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify(message)}\n`);

const stdin = createInterface({ input: process.stdin });
const commands: string[] = [];
let commandArrived: () => void = () => {};
stdin.on("line", (line) => {
  commands.push(line.trim());
  commandArrived();
});
stdin.on("close", () => process.exit(2));
async function nextCommand(): Promise<string> {
  while (commands.length === 0) {
    await new Promise<void>((resolve) => {
      commandArrived = resolve;
    });
  }
  return commands.shift()!;
}

const job = JSON.parse(process.argv[2]!) as WorkerJob;
const db = new pg.Client({ connectionString: job.postgres });
await db.connect();
const locks = new Map<LockKind, Mutex>();
for (const kind of job.kind === "increment" ? job.locks : [job.lock]) {
  locks.set(kind, await mutex(kind, job, db));
}

switch (job.kind) {
  // Many workers, each incrementing the shared counter `times` times inside
  // the lock, once per "go <lock>" round. All start a round at once; we time
  // how long each one waited for the lock.
  case "increment": {
    const counter = SharedCounter.open(db, job.schema);
    say({ type: "ready" });
    for (let command = await nextCommand(); command !== "exit"; command = await nextCommand()) {
      const kind = command.replace(/^go /, "") as LockKind;
      const lock = locks.get(kind)!;
      let waitedMs = 0;
      const started = performance.now();
      for (let i = 0; i < job.times; i++) {
        const asked = performance.now();
        await lock.run(async () => {
          waitedMs += performance.now() - asked;
          await counter.incrementWithGap(job.counter, job.gapMs);
        });
      }
      const elapsedMs = performance.now() - started;
      say({ type: "done", lock: kind, increments: job.times, waitedMs, elapsedMs });
    }
    break;
  }
  // One holder: take the lock, work for `workMs`, write the document with
  // our fencing token. If it is frozen while it works, its lease may end.
  case "lease": {
    const store = FencedStore.open(db, job.schema);
    const lock = locks.get(job.lock)!;
    await lock.run(async (fence) => {
      say({ type: "locked", fence, ...lock.details });
      // A GC pause, a swapped-out page, a descheduled VM: the process simply
      // stops running for a while. Our stdout is a pipe, written synchronously,
      // so "locked" has left before we stop; whoever sends SIGCONT wakes us.
      if (job.freezeAfterLocking) process.kill(process.pid, "SIGSTOP");
      await sleep(job.workMs);
      const outcome = job.fenced
        ? await store.write(job.document, job.body, fence)
        : await store.writeUnfenced(job.document, job.body);
      say({ type: "wrote", fence, ...outcome });
    });
    break;
  }
  // Take the lock and keep it until told to release it, or until killed.
  case "hold": {
    const lock = locks.get(job.lock)!;
    await lock.run(async (fence) => {
      say({ type: "locked", fence, ...lock.details });
      while ((await nextCommand()) !== "release") {}
    });
    say({ type: "released" });
    break;
  }
}
await Promise.all([...locks.values()].map((lock) => lock.close()));
await db.end();
process.exit(0);
