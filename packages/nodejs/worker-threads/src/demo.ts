import { availableParallelism } from "node:os";
import { defineDemo } from "@playground/kit";
import { type BufferReply, Echo, type Order, type OrderReply } from "./messages.js";
import { percentile, pingWhile, startPingServer } from "./ping.js";
import { countPrimes, wallClock } from "./primes.mjs";
import { askChildProcess, askClusterWorker, askWorkerThread, me } from "./processes.js";
import { countTogether } from "./shared-counter.js";
import { type PrimeResult, primePool } from "./worker-threads.js";

const round = (n: number, digits = 1) => Number(n.toFixed(digits));

export default defineDemo({
  title: "Worker threads",
  services: [],
  async run(ctx) {
    const limit = ctx.fast ? 1_500_000 : 2_000_000;
    ctx.say("Node runs our JavaScript on one thread. We give it a ping server and some CPU work.");
    const server = await startPingServer();
    ctx.defer(() => server.close());
    // A worker is a whole new JavaScript environment, so starting one
    // takes a while; we start the pool once and reuse its threads.
    const starting = wallClock();
    const pool = primePool(2);
    ctx.defer(() => pool.close());
    await pool.ready();
    ctx.metric("start a pool of two workers", round(wallClock() - starting), "ms");
    ctx.event(
      "main",
      "ping server listening",
      `127.0.0.1:${server.port}; a pinger thread hits it every 5 ms`,
    );

    // First the mistake: the computation runs on the thread that also
    // serves HTTP. Every ping sent meanwhile waits until it is done.
    ctx.event("main", `counts primes below ${limit.toLocaleString("en")} itself`);
    let blockedMs = 0;
    const blocked = await pingWhile(server.port, () => {
      const start = wallClock();
      countPrimes(limit);
      blockedMs = wallClock() - start;
    });
    const blockedP99 = percentile(blocked, 99);
    ctx.metric("main thread busy for", round(blockedMs), "ms");
    ctx.metric("ping p99, work on the main thread", round(blockedP99), "ms");

    // Then the fix: the same work goes to a worker thread, and the main
    // thread only waits for a message, which costs it nothing.
    ctx.event("pool", "counts the same primes on a worker thread");
    const pooled = await pingWhile(server.port, () => pool.run({ limit }));
    const pooledP99 = percentile(pooled, 99);
    ctx.metric("ping p99, work in the pool", round(pooledP99), "ms");
    ctx.metric("p99 ratio, main thread / pool", round(blockedP99 / pooledP99), "x");

    // Two tasks on two workers run at the same time, on two cores when
    // the machine has them free. We time one worker against two, with
    // nothing else of ours running.
    const tasks = [{ limit }, { limit }];
    const single = primePool(1);
    ctx.defer(() => single.close());
    await single.ready();
    let start = wallClock();
    await Promise.all(tasks.map((t) => single.run(t)));
    const oneWorkerMs = wallClock() - start;
    await single.close();
    start = wallClock();
    const [a, b] = (await Promise.all(tasks.map((t) => pool.run(t)))) as [PrimeResult, PrimeResult];
    const twoWorkersMs = wallClock() - start;
    const overlapMs = Math.min(a.endedAt, b.endedAt) - Math.max(a.startedAt, b.startedAt);
    ctx.event(
      "pool",
      `thread ${a.threadId} and thread ${b.threadId} busy together`,
      `${round(overlapMs)} ms of overlap`,
    );
    ctx.metric("cores", availableParallelism(), "");
    ctx.metric("two tasks, one worker", round(oneWorkerMs), "ms");
    ctx.metric("two tasks, two workers", round(twoWorkersMs), "ms");
    ctx.metric("speedup with two workers", round(oneWorkerMs / twoWorkersMs, 2), "x");

    // And while both workers compute, the main thread still answers.
    let results: PrimeResult[] = [];
    const duringParallel = await pingWhile(server.port, async () => {
      results = await Promise.all(tasks.map((t) => pool.run(t)));
    });
    const shortestTask = Math.min(...results.map((r) => r.endedAt - r.startedAt));
    const parallelP90 = percentile(duringParallel, 90);
    const parallelP99 = percentile(duringParallel, 99);
    ctx.metric("ping p90 while two workers compute", round(parallelP90), "ms");
    ctx.metric("ping p99 while two workers compute", round(parallelP99), "ms");

    // Messages are copies. The worker scribbles on what it received, and
    // we change ours right after posting: neither side sees the other.
    const echo = new Echo();
    ctx.defer(() => echo.close());
    const order: Order = { id: "order-1", items: ["book"], total: 12 };
    const replying = echo.ask<OrderReply>({ kind: "order", order });
    order.total = 999;
    const { seen, after } = await replying;
    ctx.event("worker", "received the order", `total ${seen.total}, set it to ${after.total}`);
    ctx.event(
      "main",
      "still has its own order",
      `total ${order.total}, items ${order.items.join(", ")}`,
    );
    const copied = seen.total === 12 && order.items.length === 1 && after.total === 0;

    // A big buffer is better moved than copied: transferring it detaches it here.
    const mib = ctx.fast ? 16 : 64;
    const cloneBuffer = new Uint8Array(mib * 2 ** 20).fill(1).buffer;
    start = wallClock();
    await echo.ask({ kind: "buffer", buffer: cloneBuffer });
    const cloneMs = wallClock() - start;
    const moveBuffer = new Uint8Array(mib * 2 ** 20).fill(1).buffer;
    start = wallClock();
    const moving = echo.ask<BufferReply>({ kind: "buffer", buffer: moveBuffer }, [moveBuffer]);
    const senderLength = moveBuffer.byteLength;
    const received = await moving;
    const transferMs = wallClock() - start;
    ctx.event(
      "main",
      `transferred ${mib} MiB`,
      `worker got ${received.byteLength} bytes; ours is now ${senderLength} bytes`,
    );
    ctx.metric(`post ${mib} MiB, copied`, round(cloneMs), "ms");
    ctx.metric(`post ${mib} MiB, transferred`, round(transferMs), "ms");

    // Shared memory is the one thing threads can race on.
    const iterations = ctx.fast ? 10_000 : 20_000;
    const atomic = await countTogether({ workers: 4, iterations, atomic: true });
    const plain = await countTogether({ workers: 4, iterations, atomic: false });
    ctx.event("counter", "four workers, Atomics.add", `${atomic.counted} of ${atomic.expected}`);
    ctx.event("counter", "four workers, read then write", `${plain.counted} of ${plain.expected}`);
    ctx.metric("increments lost without Atomics", plain.lost, "");

    // Threads versus processes: who answers, and with which pid?
    const thread = await askWorkerThread();
    const child = await askChildProcess();
    const clusterWorker = await askClusterWorker();
    ctx.event(
      "main",
      "pids",
      `main ${me().pid}, worker thread ${thread.pid}, child ${child.pid}, cluster ${clusterWorker.pid}`,
    );

    ctx.table([
      { where: "main thread", "ping p99 ms": round(blockedP99), note: "server stalls" },
      { where: "worker pool (1 task)", "ping p99 ms": round(pooledP99), note: "server answers" },
      {
        where: "worker pool (2 tasks)",
        "ping p99 ms": round(parallelP99),
        note: `speedup ${round(oneWorkerMs / twoWorkersMs, 2)}x`,
      },
    ]);
    ctx.claim(
      "CPU work on the main thread stalls the server; the pool keeps p99 several times lower",
      blockedP99 / pooledP99 > 3,
    );
    ctx.claim("two workers were busy at the same time", overlapMs > 0);
    ctx.claim(
      "the main thread stayed responsive while two workers computed",
      parallelP90 < shortestTask / 2,
    );
    ctx.claim("a posted object is a copy: changes on either side stay there", copied);
    ctx.claim(
      "a transferred ArrayBuffer is detached in the sender",
      senderLength === 0 && received.byteLength > 0,
    );
    ctx.claim("with Atomics.add four workers count exactly", atomic.lost === 0);
    ctx.claim(
      "without Atomics, increments are lost",
      plain.lost > 0 && plain.counted <= plain.expected,
    );
    ctx.claim(
      "a worker thread shares our pid; a child process and a cluster worker have their own",
      thread.pid === me().pid && child.pid !== me().pid && clusterWorker.pid !== me().pid,
    );
  },
});
