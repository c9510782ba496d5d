import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { promisify } from "node:util";
import { LocalServer, type ServiceHandle } from "@playground/kit";
import type { Redis } from "ioredis";
import type { MemcacheClient } from "memcache-client";
import { uniquePrefix } from "./clients.js";

// "memcached is faster" is the usual claim. Both answer a GET from a hash
// table in RAM in microseconds; what a client sees is mostly round trips
// and its own work. So we measure, from one Node process, with many
// commands in flight so neither waits on the network.

/**
 * Runs `op(0)` … `op(total - 1)` with `inFlight` of them outstanding at a
 * time and returns the rate in operations per second.
 */
export async function opsPerSecond(
  op: (i: number) => Promise<unknown>,
  total: number,
  inFlight: number,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < total) await op(next++);
    }),
  );
  return total / ((performance.now() - started) / 1000);
}

export interface Throughput {
  redisSet: number;
  memcachedSet: number;
  redisGet: number;
  memcachedGet: number;
}

/**
 * SET then GET of `total` 100-byte values on each server, spread over the
 * given connections, the two servers measured back to back in the same run.
 */
export async function compareThroughput(
  redis: Redis[],
  mc: MemcacheClient[],
  { total = 20_000, inFlight = 64, prefix = "tp" } = {},
): Promise<Throughput> {
  const value = "v".repeat(100);
  const key = (i: number) => `${prefix}:${i}`;
  const r = (i: number) => redis[i % redis.length]!;
  const m = (i: number) => mc[i % mc.length]!;
  const redisSet = await opsPerSecond((i) => r(i).set(key(i), value), total, inFlight);
  const memcachedSet = await opsPerSecond((i) => m(i).set(key(i), value), total, inFlight);
  const redisGet = await opsPerSecond((i) => r(i).get(key(i)), total, inFlight);
  const memcachedGet = await opsPerSecond((i) => m(i).get(key(i)), total, inFlight);
  return { redisSet, memcachedSet, redisGet, memcachedGet };
}

// One measurement on a shared machine can catch a moment of someone
// else's load. We run short rounds, the servers alternating within each,
// and take the median of each rate.
/** `rounds` runs of {@link compareThroughput}, fresh keys each time. */
export async function throughputRounds(
  redis: Redis[],
  mc: MemcacheClient[],
  { rounds = 3, total = 20_000, signal }: { rounds?: number; total?: number; signal?: AbortSignal },
): Promise<Throughput[]> {
  const runs: Throughput[] = [];
  for (let round = 0; round < rounds; round++) {
    signal?.throwIfAborted();
    runs.push(await compareThroughput(redis, mc, { total, prefix: uniquePrefix("tp") }));
  }
  return runs;
}

/** The median of each rate over `runs`. */
export function medianThroughput(runs: Throughput[]): Throughput {
  const median = (key: keyof Throughput) =>
    runs.map((run) => run[key]).sort((a, b) => a - b)[Math.floor(runs.length / 2)]!;
  return {
    redisSet: median("redisSet"),
    memcachedSet: median("memcachedSet"),
    redisGet: median("redisGet"),
    memcachedGet: median("memcachedGet"),
  };
}

// Where the servers differ is inside. memcached runs `-t` worker threads (4
// by default) and hands each new connection to one of them; Redis executes
// every command on its main thread (its I/O threads, off by default, only
// read and write sockets). Linux keeps CPU time per thread in /proc, so we
// can watch which threads did the work.

/** CPU time per thread of a process, in clock ticks (10 ms), by thread id. */
type ThreadCpu = Map<string, ThreadUse>;

/** One thread's name and the CPU ticks it used. */
export interface ThreadUse {
  name: string;
  ticks: number;
}

function threadCpu(pid: number): ThreadCpu {
  const threads: ThreadCpu = new Map();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
    const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15 of stat(5); we split after field 2.
    threads.set(tid, { name, ticks: Number(fields[11]) + Number(fields[12]) });
  }
  return threads;
}

/** Ticks each thread used between two readings, named, busiest first. */
function cpuSince(before: ThreadCpu, after: ThreadCpu): ThreadUse[] {
  return [...after]
    .map(([tid, { name, ticks }]) => ({ name, ticks: ticks - (before.get(tid)?.ticks ?? 0) }))
    .sort((a, b) => b.ticks - a.ticks);
}

/**
 * The host pid of a server of our own: a local child process, or a
 * container's main process as `docker inspect` reports it.
 */
async function serverPid(handle: ServiceHandle): Promise<number> {
  if (handle instanceof LocalServer && handle.pid !== undefined) return handle.pid;
  if ("containerId" in handle && typeof handle.containerId === "string") {
    const run = promisify(execFile);
    const { stdout } = await run("docker", ["inspect", "-f", "{{.State.Pid}}", handle.containerId]);
    return Number(stdout.trim());
  }
  throw new Error(
    `${handle.service} has no process we can see: ask for a server of our own ({ dedicated: true }).`,
  );
}

// Redis reports the same split itself: INFO cpu gives the CPU time of the
// whole process and of its main thread, on any backend.
/** Seconds of CPU used by the whole Redis process and by its main thread. */
async function redisCpu(redis: Redis): Promise<{ process: number; mainThread: number }> {
  const info = await redis.info("cpu");
  const field = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)![1]);
  return {
    process: field("used_cpu_user") + field("used_cpu_sys"),
    mainThread: field("used_cpu_user_main_thread") + field("used_cpu_sys_main_thread"),
  };
}

export interface ThreadsReport {
  /** memcached's threads that used CPU, busiest first. */
  memcachedThreads: ThreadUse[];
  /** How many of them are worker threads (`mc-worker`). */
  memcachedWorkers: number;
  /** CPU seconds memcached and Redis used. */
  memcachedCpu: number;
  redisCpu: number;
  /** The share of Redis's CPU time spent on its main thread. */
  redisMainShare: number;
}

/**
 * Runs `work` and reports which threads of the two servers did it: the
 * memcached behind `memcached` (a server of our own, so we can see its
 * process) and the Redis that `redis` is connected to.
 */
export async function watchThreads<T>(
  memcached: ServiceHandle,
  redis: Redis,
  work: () => Promise<T>,
): Promise<[T, ThreadsReport]> {
  const pid = await serverPid(memcached);
  const mcBefore = threadCpu(pid);
  const redisBefore = await redisCpu(redis);
  const result = await work();
  const redisAfter = await redisCpu(redis);
  const used = cpuSince(mcBefore, threadCpu(pid)).filter((thread) => thread.ticks > 0);
  const redisUsed = redisAfter.process - redisBefore.process;
  return [
    result,
    {
      memcachedThreads: used,
      memcachedWorkers: used.filter((thread) => thread.name === "mc-worker").length,
      memcachedCpu: used.reduce((sum, thread) => sum + thread.ticks, 0) / 100,
      redisCpu: redisUsed,
      redisMainShare: (redisAfter.mainThread - redisBefore.mainThread) / redisUsed,
    },
  ];
}
