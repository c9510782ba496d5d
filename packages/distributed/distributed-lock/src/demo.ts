import { once } from "node:events";
import { defineDemo, type ServiceHandle, services } from "@playground/kit";
import { Redis } from "ioredis";
import pg from "pg";
import { AdvisoryLock } from "./advisory-lock.js";
import { counterRace, type RaceResult, uniqueName } from "./counter-race.js";
import { RedisLock } from "./distributed-lock.js";
import { Redlock } from "./redlock.js";
import { pausedHolderWritesLate, wakeUpsPerRelease } from "./scenarios.js";
import { startWorker } from "./worker-process.js";

const round = (value: number, digits = 1) => Number(value.toFixed(digits));

export default defineDemo({
  title: "Distributed lock",
  services: ["redis", "postgres", "zookeeper"],
  async run(ctx) {
    const { redis, postgres, zookeeper } = ctx.services;
    const zk = `${zookeeper.host}:${zookeeper.port}`;

    // Ten real worker processes add 1 to a counter in PostgreSQL by reading
    // it, waiting 2 ms and writing it back: a read-modify-write that loses
    // updates when two overlap. The same ten processes run one round per
    // lock, so the rounds differ only in the lock.
    const workers = ctx.fast ? 4 : 10;
    const times = ctx.fast ? 10 : 30;
    ctx.say(
      `${workers} worker processes each add 1 to a PostgreSQL counter ${times} times: ` +
        "read it, wait 2 ms, write it back. One round without a lock, then one per lock.",
    );
    const rounds = await counterRace({
      locks: ["none", "redis", "zookeeper", "advisory"],
      workers,
      times,
      gapMs: 2,
      postgres: postgres.url,
      redis: redis.url,
      zookeeper: zk,
      onReady: () => ctx.event("workers", `${workers} processes connected`, "go"),
      onRound: (r) =>
        ctx.event(
          "workers",
          `${r.lock === "none" ? "no lock" : `${r.lock} lock`}: counter = ${r.actual} of ${r.expected}`,
          `${r.lost} lost · waited ${round(r.meanWaitMs)} ms per increment · ${Math.round(r.elapsedMs)} ms`,
        ),
    });
    const byLock = new Map(rounds.map((r) => [r.lock, r]));
    const lostWithout = byLock.get("none")!.lost;
    ctx.metric("updates lost without a lock", lostWithout, "increments");
    for (const lock of ["redis", "zookeeper", "advisory"] as const) {
      ctx.metric(`mean wait for the ${lock} lock`, round(byLock.get(lock)!.meanWaitMs), "ms");
    }

    // A release must delete the key only if it is still ours. A's lease
    // (100 ms) runs out while it works; B takes the lock; A then releases.
    ctx.say("A's 100 ms lease runs out while it works, and B takes the lock. Then A releases it.");
    const clients = [0, 1, 2].map(() => new Redis(redis.url));
    ctx.defer(() => clients.forEach((c) => void c.disconnect()));
    const releaseStory = async (naive: boolean) => {
      const key = uniqueName("release");
      const a = new RedisLock(clients[0]!, key, { ttlMs: 100 });
      const leaseA = (await a.tryAcquire())!;
      await new RedisLock(clients[1]!, key, { ttlMs: 30_000 }).acquire();
      const released = naive ? await a.releaseNaively(leaseA) : await a.release(leaseA);
      const stolen = (await new RedisLock(clients[2]!, key).tryAcquire()) !== undefined;
      ctx.event(
        "A",
        naive ? "releases with DEL" : "releases with the Lua compare-and-delete",
        released ? "deleted B's lock: C takes it while B still holds it" : "refused: not ours",
      );
      return stolen;
    };
    const naiveStolen = await releaseStory(true);
    const luaStolen = await releaseStory(false);

    // The lease problem: A frozen past its TTL, B takes over, A wakes and writes.
    ctx.say(
      "Worker A takes the Redis lock (TTL 1 s) and freezes (SIGSTOP) before writing. " +
        "B waits for the lock, gets it when A's lease ends, and writes. Then A wakes (SIGCONT).",
    );
    const leases = [];
    for (const fenced of [false, true]) {
      const story = await pausedHolderWritesLate({
        lock: "redis",
        fenced,
        postgres: postgres.url,
        redis: redis.url,
        ttlMs: 1_000,
      });
      ctx.event("A", `locked with fencing token ${story.lockedA.fence}`, "then frozen");
      ctx.event("B", `locked with fencing token ${story.lockedB.fence}`, `wrote "B"`);
      ctx.event(
        "A",
        `wakes and writes "A" ${fenced ? "with token" : "without"} ${story.lockedA.fence}`,
        story.wroteA.accepted
          ? `accepted: the document now says "${story.after.body}"`
          : "rejected",
      );
      leases.push(story);
    }
    const [unfenced, fenced] = leases;

    // Redlock: three Redis servers of our own, which we crash one by one.
    ctx.say("Redlock over 3 independent Redis servers, killed one at a time.");
    const three: ServiceHandle[] = [];
    ctx.defer(() => Promise.all(three.map((s) => s[Symbol.asyncDispose]())));
    for (let i = 0; i < 3; i++) three.push(await services.redis({ dedicated: true }));
    const voters = three.map((s) =>
      new Redis(s.url, {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        retryStrategy: () => 20,
      }).on("error", () => {}),
    );
    ctx.defer(() => voters.forEach((c) => void c.disconnect()));
    await Promise.all(voters.map((c) => once(c, "ready")));
    // A dead server fails at once (no offline queue); the per-server limit
    // only bounds a slow one, and stays small next to the 10 s TTL.
    const redlock = new Redlock(voters, { ttlMs: 10_000, serverTimeoutMs: 1_000 });
    const grants: (number | undefined)[] = [];
    for (const down of [1, 2]) {
      const closed = once(voters[down]!, "close");
      await three[down]!.kill();
      await closed;
      const lease = await redlock.tryAcquire(uniqueName("redlock"));
      grants.push(lease?.votes);
      ctx.event(
        "redlock",
        `${down} of 3 servers down: ${lease ? `granted by ${lease.votes}` : "refused"}`,
        lease ? `valid for ${Math.round(lease.validityMs)} ms` : `needs ${redlock.quorum} votes`,
      );
    }

    // ZooKeeper: who is woken when the holder releases?
    const predecessor = await wakeUpsPerRelease(zk, "predecessor");
    const herd = await wakeUpsPerRelease(zk, "children");
    ctx.event(
      "zookeeper",
      "watch the predecessor",
      `wake-ups per release: ${predecessor.join(", ")}`,
    );
    ctx.event("zookeeper", "watch all children", `wake-ups per release: ${herd.join(", ")}`);

    // PostgreSQL advisory lock: the holder's process is killed.
    const name = uniqueName("advisory");
    const holder = startWorker("holder", {
      kind: "hold",
      lock: "advisory",
      postgres: postgres.url,
      schema: "unused",
      lockName: name,
    });
    ctx.defer(() => holder.kill());
    await holder.next("locked");
    const db = new pg.Client({ connectionString: postgres.url });
    await db.connect();
    ctx.defer(() => db.end());
    await db.query("SET lock_timeout = '30s'");
    const waiter = new AdvisoryLock(db, name);
    const acquired = waiter.acquire();
    const killedAt = performance.now();
    await holder.kill();
    await acquired;
    const advisoryFreedMs = performance.now() - killedAt;
    ctx.event(
      "postgres",
      "advisory lock holder killed",
      `waiter got it ${round(advisoryFreedMs)} ms later`,
    );
    ctx.metric("advisory lock free after its holder died", round(advisoryFreedMs), "ms");

    const row = (r: RaceResult, freed: string, fence: string) => ({
      lock: r.lock === "none" ? "no lock" : r.lock,
      "lost updates": r.lost,
      "wait per increment": `${round(r.meanWaitMs)} ms`,
      "holder crashes": freed,
      "fencing token": fence,
    });
    ctx.table([
      row(byLock.get("none")!, "-", "-"),
      row(byLock.get("redis")!, "free after the TTL", "INCR, beside the key"),
      row(byLock.get("zookeeper")!, "free after the session timeout", "czxid of the znode"),
      row(byLock.get("advisory")!, "free at once (session ends)", "none needed: same database"),
    ]);

    ctx.claim("without a lock, concurrent read-modify-writes lost updates", lostWithout > 0);
    ctx.claim(
      "with the Redis, ZooKeeper or advisory lock, no update was lost",
      rounds.filter((r) => r.lock !== "none").every((r) => r.lost === 0),
    );
    ctx.claim(
      "a plain DEL released someone else's lock; the Lua compare-and-delete did not",
      naiveStolen && !luaStolen,
    );
    ctx.claim(
      "a holder paused past its TTL wrote after the next holder, and without fencing its stale write landed",
      !unfenced!.aWroteWhilePaused &&
        unfenced!.wroteA.accepted === true &&
        unfenced!.after.body === "A",
    );
    ctx.claim(
      "with fencing tokens checked by the storage, the stale write was rejected",
      fenced!.wroteA.accepted === false && fenced!.after.body === "B",
    );
    ctx.claim(
      "Redlock granted the lock with 1 of 3 servers down and refused it with 2 down",
      grants[0] === 2 && grants[1] === undefined,
    );
    ctx.claim(
      "watching only the predecessor woke one waiter per release; watching the children woke them all",
      predecessor.every((n) => n === 1) && herd.join() === "4,3,2,1",
    );
  },
});
