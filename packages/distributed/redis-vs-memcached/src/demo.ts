import { defineDemo, services } from "@playground/kit";
import { connectMemcached, connectRedis, quitRedis, uniquePrefix } from "./clients.js";
import { fillRedis, floodMemcached, limitRedis } from "./eviction.js";
import { storeInMemcached, storeInRedis } from "./item-size.js";
import { memcachedAfterCrash, type RedisPersistence, redisAfterCrash } from "./persistence.js";
import { leaderboardRace, type RaceResult, STRATEGIES } from "./race.js";
import { medianThroughput, throughputRounds, watchThreads } from "./throughput.js";

const CLIENTS = 4;
const round = (value: number) => Math.round(value);

export default defineDemo({
  title: "Redis vs memcached",
  services: ["redis", "memcached"],
  async run(ctx) {
    // Crashes, memory limits and thread counts would disturb anyone else
    // using a server, so those acts get servers of their own.
    const own = async <H extends AsyncDisposable>(start: () => Promise<H>) => {
      const handle = await start();
      ctx.defer(() => handle[Symbol.asyncDispose]());
      return handle;
    };

    // Act 1. A leaderboard, four clients at once, three ways.
    const points = ctx.fast ? 25 : 50;
    ctx.say(
      `A leaderboard: ${CLIENTS} clients each add ${points} single points to 3 players, all at ` +
        "once. Redis: ZINCRBY on a sorted set. memcached: the board as one JSON value, " +
        "read-modify-write, first naively with get + set, then with gets + cas.",
    );
    const races: RaceResult[] = [];
    for (const strategy of STRATEGIES) {
      const server = strategy.startsWith("redis") ? "redis" : "memcached";
      const result = await leaderboardRace({
        strategy,
        url: ctx.services[server].url,
        board: uniquePrefix("board"),
        clients: CLIENTS,
        pointsPerClient: points,
        players: ["ann", "bob", "cyd"],
      });
      races.push(result);
      ctx.event(
        server,
        `${strategy}: ${result.onBoard} of ${result.acknowledged} points on the board`,
        result.retries > 0 ? `${result.retries} CAS retries` : `${result.lost} lost`,
      );
    }
    const [zincrby, naive, cas] = races as [RaceResult, RaceResult, RaceResult];
    ctx.metric("points lost, memcached get + set", naive.lost, "points");
    ctx.metric(
      "CAS retries per point, memcached gets + cas",
      Number((cas.retries / cas.acknowledged).toFixed(2)),
      "",
    );
    await ctx.sleep(300);

    // Act 2. Crash each server with SIGKILL and start it on the same
    // directory: whatever comes back is what was on disk and read at boot.
    ctx.say(
      "Crash: 100 acknowledged writes, then SIGKILL and a start on the same data directory. " +
        "Redis as the kit starts it (save '' and appendonly no), after a snapshot (SAVE), and " +
        "with appendonly switched on by CONFIG SET; then memcached.",
    );
    const survived = (label: string, batch: { written: number; survived: number }) =>
      ctx.event("crash", `${label}: ${batch.survived} of ${batch.written} writes came back`);
    const crashRedis = async (persistence: RedisPersistence) =>
      redisAfterCrash(await own(() => services.redis({ dedicated: true })), persistence);
    const none = await crashRedis("none");
    survived("redis, no persistence", none[0]!);
    const snapshot = await crashRedis("snapshot");
    survived("redis, written before SAVE", snapshot[0]!);
    survived("redis, written after SAVE", snapshot[1]!);
    const aofAtRuntime = await crashRedis("aof switched on at runtime");
    survived("redis, CONFIG SET appendonly yes", aofAtRuntime[0]!);
    const mcCrash = await memcachedAfterCrash(
      await own(() => services.memcached({ dedicated: true })),
    );
    survived("memcached", mcCrash);
    await ctx.sleep(300);

    // Act 3. Memory pressure. memcached always evicts, per slab class; Redis
    // evicts only with `maxmemory` and a policy that allows it.
    ctx.say(
      "Memory: 500 small items, then 1,000 items of 100 KB into a 64 MB memcached, re-reading " +
        "10 of them; 1,000 values of 10 KB into Redis with maxmemory 4mb, under noeviction " +
        "(its default policy) and allkeys-lru.",
    );
    const mc = connectMemcached((await own(() => services.memcached({ dedicated: true }))).url);
    const flood = await floodMemcached(mc, uniquePrefix("flood"));
    mc.shutdown();
    ctx.event(
      "memcached",
      `evicted ${flood.evictions} items, every set succeeded`,
      `small items kept ${flood.smallSurvivors}/500, re-read kept ${flood.readSurvivors}/10, ` +
        `unread of the same age ${flood.oldSurvivors}/10`,
    );
    const fills = [];
    for (const policy of ["noeviction", "allkeys-lru"]) {
      const redis = connectRedis((await own(() => services.redis({ dedicated: true }))).url);
      await limitRedis(redis, "4mb", policy);
      const fill = await fillRedis(redis, uniquePrefix("fill"));
      quitRedis(redis);
      fills.push(fill);
      ctx.event(
        "redis",
        `${policy}: ${fill.stored} stored, ${fill.refused} refused, ${fill.evicted} evicted`,
        fill.firstRefusal,
      );
    }
    const [noeviction, lru] = fills as [(typeof fills)[0], (typeof fills)[0]];
    await ctx.sleep(300);

    // Act 4. One value of 2 MB: past memcached's 1 MB item limit, far below
    // Redis's 512 MB string limit.
    const redis = connectRedis(ctx.services.redis.url);
    const memcached = connectMemcached(ctx.services.memcached.url);
    ctx.defer(() => quitRedis(redis));
    ctx.defer(() => memcached.shutdown());
    const bigKey = uniquePrefix("big");
    const bigInRedis = await storeInRedis(redis, bigKey, 2 * 1024 * 1024);
    const bigInMemcached = await storeInMemcached(memcached, bigKey, 2 * 1024 * 1024);
    await redis.del(bigKey);
    ctx.event("redis", "SET of a 2 MB value", bigInRedis);
    ctx.event("memcached", "set of a 2 MB value", bigInMemcached);

    // Act 5. Throughput from one Node process, and which threads did the work.
    const total = ctx.fast ? 7_000 : 20_000;
    ctx.say(
      `Throughput: ${total} SETs then ${total} GETs of 100 bytes on each server, three rounds, ` +
        `from this one Node process over ${CLIENTS} connections, 64 commands in flight.`,
    );
    const redisServer = await own(() => services.redis({ dedicated: true }));
    const mcServer = await own(() => services.memcached({ dedicated: true }));
    const rs = Array.from({ length: CLIENTS }, () => connectRedis(redisServer.url));
    const ms = Array.from({ length: CLIENTS }, () => connectMemcached(mcServer.url));
    ctx.defer(() => rs.forEach(quitRedis));
    ctx.defer(() => {
      for (const client of ms) client.shutdown();
    });
    await Promise.all([...rs.map((r) => r.ping()), ...ms.map((m) => m.version())]);
    // Three short rounds, the servers alternating, and the median of each
    // rate: a moment of load on this shared machine then skews one round only.
    const [runs, threads] = await watchThreads(mcServer, rs[0]!, () =>
      throughputRounds(rs, ms, { rounds: 3, total, signal: ctx.signal }),
    );
    const speed = medianThroughput(runs);
    const mcThreads = threads.memcachedThreads;
    const mainShare = threads.redisMainShare;
    ctx.metric("redis SET", round(speed.redisSet), "ops/s");
    ctx.metric("memcached SET", round(speed.memcachedSet), "ops/s");
    ctx.metric("redis GET", round(speed.redisGet), "ops/s");
    ctx.metric("memcached GET", round(speed.memcachedGet), "ops/s");
    const setRatio = speed.memcachedSet / speed.redisSet;
    const getRatio = speed.memcachedGet / speed.redisGet;
    ctx.metric("memcached / redis, SET", Number(setRatio.toFixed(2)), "x");
    ctx.metric("memcached / redis, GET", Number(getRatio.toFixed(2)), "x");
    ctx.event(
      "memcached",
      `CPU by thread: ${mcThreads.map((t) => `${t.name} ${t.ticks * 10} ms`).join(", ")}`,
    );
    ctx.event("redis", `main thread: ${round(mainShare * 100)}% of the process's CPU time`);
    await ctx.sleep(300);

    // Act 6. Replication. Redis streams every write to a replica; `WAIT 1`
    // tells us the replica has it. memcached has nothing to show here.
    const pair = await own(() => services.redisReplicated());
    const primary = connectRedis(pair.primary.url);
    const replica = connectRedis(pair.replica.url);
    ctx.defer(() => [primary, replica].forEach(quitRedis));
    const replicated = uniquePrefix("replicated");
    await primary.set(replicated, "on both");
    const replicas = await primary.wait(1, 10_000);
    const onReplica = await replica.get(replicated);
    ctx.event("redis", `replica has the write: ${onReplica}`, `WAIT 1 answered ${replicas}`);
    ctx.say(
      "memcached has no replication: a client spreads keys over nodes, and a lost node is lost data.",
    );

    ctx.table([
      {
        "": "leaderboard update",
        redis: "ZINCRBY, 1 round trip",
        memcached: `get/cas loop, ${(cas.retries / cas.acknowledged).toFixed(2)} retries a point`,
      },
      {
        "": "crash, default setup",
        redis: `${none[0]!.survived}/100 back`,
        memcached: `${mcCrash.survived}/100 back`,
      },
      {
        "": "crash after SAVE",
        redis: `${snapshot[0]!.survived}/100 before, ${snapshot[1]!.survived}/100 after`,
        memcached: "no such thing",
      },
      {
        "": "memory full",
        redis: `noeviction: ${noeviction.refused} OOM; allkeys-lru: ${lru.evicted} evicted`,
        memcached: `${flood.evictions} evicted, 0 refused`,
      },
      { "": "2 MB value", redis: bigInRedis, memcached: bigInMemcached },
      {
        "": "GET ops/s, one Node client",
        redis: round(speed.redisGet),
        memcached: round(speed.memcachedGet),
      },
      {
        "": "threads doing the work",
        redis: `main ${round(mainShare * 100)}%`,
        memcached: `${threads.memcachedWorkers} workers`,
      },
    ]);
    ctx.claim(
      "ZINCRBY kept every point with no retries",
      zincrby.lost === 0 && zincrby.retries === 0,
    );
    ctx.claim("memcached get + set lost updates under concurrency", naive.lost > 0);
    ctx.claim(
      "memcached gets + cas kept every point, at the cost of retries",
      cas.lost === 0 && cas.retries > 0,
    );
    ctx.claim(
      "persistence is a setting: Redis kept only what a snapshot held, and memcached kept nothing",
      none[0]!.survived === 0 &&
        snapshot[0]!.survived === 100 &&
        snapshot[1]!.survived === 0 &&
        aofAtRuntime[0]!.survived === 0 &&
        mcCrash.survived === 0,
    );
    ctx.claim(
      "memcached evicted without refusing; Redis refused under noeviction and evicted only under allkeys-lru",
      flood.evictions > 0 &&
        noeviction.refused > 0 &&
        noeviction.evicted === 0 &&
        lru.refused === 0 &&
        lru.evicted > 0,
    );
    ctx.claim(
      "memcached refused a 2 MB value that Redis stored",
      bigInRedis === "OK" && bigInMemcached.startsWith("SERVER_ERROR"),
    );
    ctx.claim(
      "from one Node client neither server was even 4x faster than the other",
      [setRatio, getRatio].every((ratio) => ratio > 0.25 && ratio < 4),
    );
    ctx.claim(
      "memcached spread the work over several worker threads; Redis did it on its main thread",
      threads.memcachedWorkers >= 2 && mainShare > 0.9,
    );
    ctx.claim(
      "the Redis replica served the acknowledged write",
      replicas === 1 && onReplica === "on both",
    );
  },
});
