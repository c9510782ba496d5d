import { defineDemo, poll, services } from "@playground/kit";
import { failoverDrill, refusal } from "./failover-drill.js";
import { type LagReport, measureLag, percentile } from "./lag.js";
import { insertLoad, pushLoad } from "./load.js";
import { closeRedis, promoteRedis, redisClient, untilStreaming } from "./redis-replication.js";
import { connect, promote, type ReadFrom, ReplicatedPostgres } from "./replication.js";
import { sampleStatus } from "./status-sampler.js";

const LINK_DELAY_MS = 20;
const round = (value: number, digits = 1) => Number(value.toFixed(digits));

export default defineDemo({
  title: "Database replication",
  services: [],
  async run(ctx) {
    const writes = ctx.fast ? 100 : 400;
    const cycles = ctx.fast ? 10 : 30;

    ctx.say(
      "A PostgreSQL primary with a streaming replica cloned by pg_basebackup, and a Redis primary " +
        "with a --replicaof replica. Each replica reaches its primary through a chaos proxy on the " +
        "replication link, so we can slow the link down.",
    );
    const pgPair = await services.postgresReplicated({ sync: false });
    ctx.defer(() => pgPair[Symbol.asyncDispose]());
    const redisPair = await services.redisReplicated();
    ctx.defer(() => redisPair[Symbol.asyncDispose]());
    const db = await ReplicatedPostgres.connect(pgPair.primary.url, pgPair.replica.url);
    ctx.defer(() => db.close());
    const monitor = await connect(pgPair.primary.url);
    ctx.defer(() => monitor.end());
    const redis = {
      primary: redisClient(redisPair.primary.url),
      replica: redisClient(redisPair.replica.url),
    };
    ctx.defer(() => {
      closeRedis(redis.primary);
      closeRedis(redis.replica);
    });
    await untilStreaming(redis.primary);

    // Writes go to the primary, reads can go to the replica, and the
    // replica refuses to be written to: it only replays what it receives.
    await db.write("create table orders (id int primary key, item text)");
    await db.write("insert into orders values (1, 'book')");
    ctx.event("client", "INSERT INTO orders on the PostgreSQL primary", "acknowledged");
    await db.waitForReplay();
    const { rows } = await db.read<{ item: string; replica: boolean }>(
      "select item, pg_is_in_recovery() as replica from orders where id = 1",
    );
    ctx.event(
      "postgres replica",
      "SELECT served",
      `item = '${rows[0]?.item}', pg_is_in_recovery() = ${rows[0]?.replica}`,
    );
    const pgRefusal = await refusal(db.replica.query("insert into orders values (2, 'pen')"));
    ctx.event("postgres replica", "INSERT refused", pgRefusal);
    await redis.primary.set("order:1", "book");
    await poll(async () => (await redis.replica.exists("order:1")) === 1, { timeoutMs: 5_000 });
    ctx.event("redis replica", "GET order:1 served", `'${await redis.replica.get("order:1")}'`);
    const redisRefusal = await refusal(redis.replica.set("order:2", "pen"));
    ctx.event("redis replica", "SET refused", redisRefusal);

    // Lag, measured from outside: one writer commits numbered rows at a
    // steady rate, a reader on the replica keeps asking for the highest.
    ctx.say(
      `Lag: a writer commits ${writes} numbered writes, one every 5 ms; a reader on the replica ` +
        "keeps asking for the highest number it sees. Each write's lag runs from its " +
        "acknowledgement to the first replica read that shows it.",
    );
    await db.write("create table lag_probe (id int primary key)");
    await db.waitForReplay();
    const pgProbe = (table: string) => ({
      write: async (seq: number) =>
        void (await db.write(`insert into ${table} values ($1)`, [seq])),
      latest: async () =>
        (await db.read<{ n: number }>(`select coalesce(max(id), 0) as n from ${table}`)).rows[0]!.n,
    });
    const redisProbe = (key: string) => ({
      write: async (seq: number) => void (await redis.primary.set(key, seq)),
      latest: async () => Number((await redis.replica.get(key)) ?? 0),
    });
    const lagOptions = { writes, intervalMs: 5, signal: ctx.signal };
    const directSampler = sampleStatus(monitor);
    const pgLag = await measureLag(pgProbe("lag_probe"), lagOptions);
    const direct = await directSampler.stop();
    const redisLag = await measureLag(redisProbe("lag:direct"), lagOptions);
    const lagDetail = (r: LagReport) =>
      `median ${round(r.medianMs, 2)} ms · p99 ${round(r.p99Ms, 2)} ms · max ${round(r.maxMs, 2)} ms`;
    ctx.event("postgres replica", `all ${pgLag.samples.length} writes seen`, lagDetail(pgLag));
    ctx.event("redis replica", `all ${redisLag.samples.length} writes seen`, lagDetail(redisLag));
    ctx.metric("PostgreSQL lag, median", round(pgLag.medianMs, 2), "ms");
    ctx.metric("PostgreSQL lag, p99", round(pgLag.p99Ms, 2), "ms");
    ctx.metric("pg_stat_replication replay_lag, median", round(direct.replayLagMedianMs, 2), "ms");
    ctx.metric("Redis lag, median", round(redisLag.medianMs, 2), "ms");
    ctx.metric("Redis lag, p99", round(redisLag.p99Ms, 2), "ms");

    ctx.say(
      `Now each link delays every packet by ${LINK_DELAY_MS} ms each way, like a replica in another region.`,
    );
    pgPair.link!.latency(LINK_DELAY_MS);
    redisPair.link!.latency(LINK_DELAY_MS);
    await db.write("create table lag_probe_slow (id int primary key)");
    await db.waitForReplay();
    const slowOptions = { ...lagOptions, writes: Math.round(writes / 2) };
    const slowSampler = sampleStatus(monitor);
    const pgSlowLag = await measureLag(pgProbe("lag_probe_slow"), slowOptions);
    const slow = await slowSampler.stop();
    const redisSlowLag = await measureLag(redisProbe("lag:slow"), slowOptions);
    ctx.event(
      "postgres replica",
      `all ${pgSlowLag.samples.length} writes seen`,
      lagDetail(pgSlowLag),
    );
    ctx.event(
      "redis replica",
      `all ${redisSlowLag.samples.length} writes seen`,
      lagDetail(redisSlowLag),
    );
    ctx.metric("PostgreSQL lag over the slow link, median", round(pgSlowLag.medianMs, 1), "ms");
    ctx.metric(
      "pg_stat_replication replay_lag over the slow link, median",
      round(slow.replayLagMedianMs, 1),
      "ms",
    );
    ctx.metric("WAL the replica was behind, at most", slow.maxBytesBehind, "bytes");
    ctx.say(
      "replay_lag is measured by the primary until the replica's reply comes back: a round trip, " +
        "so about twice the one-way delay.",
    );

    // Read-your-writes: a client writes on the primary and reads the row
    // straight back. From the replica, over a slow link, it misses its own
    // write. Waiting for the commit's LSN (or reading the primary) cures it.
    ctx.say(
      `Read-your-writes: ${cycles} times, a client inserts a row on the primary and at once reads it back.`,
    );
    await db.write("create table profile (id int primary key)");
    await db.waitForReplay();
    let nextId = 0;
    const missedOwnWrite: Record<string, number> = {};
    const ways: [ReadFrom, string][] = [
      ["replica", "from the replica, at once"],
      ["replica-after-my-writes", "from the replica, after it replayed the commit's LSN"],
      ["primary", "from the primary"],
    ];
    for (const [from, label] of ways) {
      let misses = 0;
      const readMs: number[] = [];
      for (let i = 0; i < cycles; i++) {
        const id = ++nextId;
        await db.write("insert into profile values ($1)", [id]);
        const start = performance.now();
        const read = await db.read("select 1 from profile where id = $1", [id], from);
        readMs.push(performance.now() - start);
        if (read.rowCount === 0) misses++;
      }
      missedOwnWrite[from] = misses;
      ctx.event(
        "client",
        `read ${label}`,
        `missed its own write ${misses} of ${cycles} times · median read ${round(percentile(readMs, 0.5), 1)} ms`,
      );
    }
    const redisMisses: Record<string, number> = { replica: 0, wait: 0 };
    for (const waitFirst of [false, true]) {
      for (let i = 0; i < cycles; i++) {
        const key = `profile:${++nextId}`;
        await redis.primary.set(key, "1");
        if (waitFirst) await redis.primary.wait(1, 5_000);
        if ((await redis.replica.exists(key)) === 0) redisMisses[waitFirst ? "wait" : "replica"]!++;
      }
    }
    ctx.event(
      "client",
      "Redis: GET on the replica right after SET",
      `missed ${redisMisses.replica} of ${cycles} times; after WAIT 1, ${redisMisses.wait} of ${cycles}`,
    );
    pgPair.link!.restore();
    redisPair.link!.restore();

    // Redundancy: the replica has (nearly) everything the primary had.
    // We kill the primary mid-stream and promote the replica by hand.
    ctx.say(
      "Redundancy: a writer inserts rows as fast as it can, and we kill the primary with SIGKILL " +
        "in the middle. The replica does not take over until someone promotes it.",
    );
    await db.write("create table events (id int primary key)");
    await db.waitForReplay();
    const writer = await connect(pgPair.primary.url);
    ctx.defer(() => writer.end());
    const pgFailover = await failoverDrill(ctx, {
      name: "postgres",
      load: insertLoad(writer, "events"),
      kill: () => pgPair.primary.kill(),
      // What the replica had is what it shows once it has replayed all it received.
      ids: async () => {
        await poll(async () => {
          const { rows } = await db.replica.query<{ done: boolean }>(
            "select not pg_is_in_recovery() or pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() as done",
          );
          return rows[0]!.done;
        });
        const { rows } = await db.replica.query<{ id: number }>(
          "select id from events order by id",
        );
        return rows.map((r) => r.id);
      },
      write: () => db.replica.query("insert into events values (-1)"),
      promote: () => promote(db.replica),
      how: "pg_promote()",
    });

    const writerRedis = redisClient(redisPair.primary.url);
    ctx.defer(() => closeRedis(writerRedis));
    const redisFailover = await failoverDrill(ctx, {
      name: "redis",
      load: pushLoad(writerRedis, "events"),
      kill: () => redisPair.primary.kill(),
      ids: async () => (await redis.replica.lrange("events", 0, -1)).map(Number),
      write: () => redis.replica.rpush("events", -1),
      promote: () => promoteRedis(redis.replica),
      how: "REPLICAOF NO ONE",
    });

    ctx.table([
      row("replica refuses writes", "read-only transaction", "READONLY"),
      row("lag median, direct link (ms)", round(pgLag.medianMs, 2), round(redisLag.medianMs, 2)),
      row("lag p99, direct link (ms)", round(pgLag.p99Ms, 2), round(redisLag.p99Ms, 2)),
      row(
        `lag median, ${LINK_DELAY_MS} ms link (ms)`,
        round(pgSlowLag.medianMs, 1),
        round(redisSlowLag.medianMs, 1),
      ),
      row(
        "own write missed, read replica at once",
        `${missedOwnWrite.replica} of ${cycles}`,
        `${redisMisses.replica} of ${cycles}`,
      ),
      row(
        "own write missed, replica after LSN / WAIT 1",
        `${missedOwnWrite["replica-after-my-writes"]} of ${cycles}`,
        `${redisMisses.wait} of ${cycles}`,
      ),
      row("own write missed, read primary", `${missedOwnWrite.primary} of ${cycles}`, "–"),
      row("rows the replica had at the crash", pgFailover.had, redisFailover.had),
      row("rows served after promotion", pgFailover.served, redisFailover.served),
      row("acknowledged writes missing", pgFailover.lost, redisFailover.lost),
    ]);

    const everyWriteSeen = [pgLag, redisLag, pgSlowLag, redisSlowLag].every(
      (r, i) => r.samples.length === (i < 2 ? writes : slowOptions.writes),
    );
    ctx.claim(
      "the replicas served reads and refused writes",
      rows[0]?.replica === true &&
        /read-only transaction/.test(pgRefusal) &&
        /^READONLY/.test(redisRefusal),
    );
    ctx.claim(
      `every acknowledged write became visible on the replica (PostgreSQL median ${round(pgLag.medianMs, 2)} ms, p99 ${round(pgLag.p99Ms, 2)} ms)`,
      everyWriteSeen,
    );
    // The commit's acknowledgement races the WAL out of the primary, so the
    // lag can come in a hair under the link delay: we ask for 90% of it.
    const slowFloorMs = 0.9 * LINK_DELAY_MS;
    ctx.claim(
      `over a ${LINK_DELAY_MS} ms link the lag took (nearly) the whole delay: median at least ${slowFloorMs} ms, against ${round(pgLag.medianMs, 2)} ms direct`,
      pgSlowLag.medianMs >= slowFloorMs &&
        redisSlowLag.medianMs >= slowFloorMs &&
        pgSlowLag.medianMs > 5 * pgLag.medianMs,
    );
    ctx.claim(
      "a read on the replica right after the client's own write missed it; waiting for the commit's LSN, or reading the primary, never did",
      missedOwnWrite.replica! > 0 &&
        missedOwnWrite["replica-after-my-writes"] === 0 &&
        missedOwnWrite.primary === 0,
    );
    ctx.claim(
      "after the primary died, the replica refused writes until it was promoted",
      pgFailover.refusedBefore && redisFailover.refusedBefore,
    );
    ctx.claim(
      "once promoted, each replica served every row it had and accepted writes",
      pgFailover.servedAll &&
        redisFailover.servedAll &&
        pgFailover.accepted &&
        redisFailover.accepted,
    );
  },
});

const row = (measured: string, postgres: string | number, redis: string | number) => ({
  measured,
  PostgreSQL: postgres,
  Redis: redis,
});
