import { defineDemo, services } from "@playground/kit";
import { connectMemcached, connectRedis, quitRedis } from "./clients.js";
import { medianThroughput, type Throughput, throughputRounds, watchThreads } from "./throughput.js";

// `pnpm bench redis-vs-memcached`: is memcached faster? We send the same
// 100-byte SETs and GETs to both servers from this one Node process, over
// one connection and over four, 64 commands in flight, alternating the
// servers round by round so that a change in the machine's load hits both.

const ROUNDS = 5;
const percent = (share: number) => `${Math.round(share * 100)}%`;

export default defineDemo({
  title: "Redis vs memcached: GET/SET throughput from one Node client",
  services: [],
  async run(ctx) {
    // Servers of our own: we read their threads from /proc.
    const redisServer = await services.redis({ dedicated: true });
    ctx.defer(() => redisServer[Symbol.asyncDispose]());
    const mcServer = await services.memcached({ dedicated: true });
    ctx.defer(() => mcServer[Symbol.asyncDispose]());
    const total = ctx.fast ? 5_000 : 50_000;
    ctx.say(
      `${total} SETs then ${total} GETs of 100 bytes per server and round, 64 in flight, ` +
        `${ROUNDS} rounds; the median round is reported.`,
    );

    const rows = [];
    for (const connections of [1, 4]) {
      const redis = Array.from({ length: connections }, () => connectRedis(redisServer.url));
      const mc = Array.from({ length: connections }, () => connectMemcached(mcServer.url));
      await Promise.all([...redis.map((r) => r.ping()), ...mc.map((m) => m.version())]);
      const clientBefore = process.cpuUsage();
      const started = performance.now();
      const [runs, threads] = await watchThreads(mcServer, redis[0]!, () =>
        throughputRounds(redis, mc, { rounds: ROUNDS, total, signal: ctx.signal }),
      );
      // How busy was each side while it was being measured? The client
      // over the whole run; each server over the time its own rounds took.
      const client = process.cpuUsage(clientBefore);
      const clientShare = (client.user + client.system) / 1000 / (performance.now() - started);
      const secondsOn = (set: keyof Throughput, get: keyof Throughput) =>
        runs.reduce((sum, run) => sum + total / run[set] + total / run[get], 0);
      const redisShare = threads.redisCpu / secondsOn("redisSet", "redisGet");
      const mcShare = threads.memcachedCpu / secondsOn("memcachedSet", "memcachedGet");
      for (const client of redis) quitRedis(client);
      for (const client of mc) client.shutdown();

      const speed = medianThroughput(runs);
      const of = (key: keyof Throughput) => Math.round(speed[key]);
      for (const op of ["SET", "GET"] as const) {
        const redisRate = of(op === "SET" ? "redisSet" : "redisGet");
        const mcRate = of(op === "SET" ? "memcachedSet" : "memcachedGet");
        const ratio = Number((mcRate / redisRate).toFixed(2));
        ctx.metric(`${op}, ${connections} connection(s): memcached / redis`, ratio, "x");
        rows.push({
          op,
          connections,
          "redis ops/s": redisRate,
          "memcached ops/s": mcRate,
          "memcached / redis": ratio,
          "client CPU": percent(clientShare),
          "redis CPU": percent(redisShare),
          "of it on main thread": percent(threads.redisMainShare),
          "memcached CPU": percent(mcShare),
          "workers busy": threads.memcachedWorkers,
        });
      }
    }
    ctx.table(rows);
    ctx.say(
      "CPU is a share of one core: the client's over the whole run, each server's over the time " +
        "its own rounds took. On 2 cores shared with this client (and whatever else runs), " +
        "memcached's extra worker threads have no spare core to turn into throughput.",
    );
  },
});
