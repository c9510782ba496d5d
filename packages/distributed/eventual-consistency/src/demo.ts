import { defineDemo } from "@playground/kit";
import { barChart } from "./chart.js";
import { Cluster } from "./cluster.js";
import { cartItems, lastWriteWins, versionVectors } from "./conflicts.js";
import { conflict, countDuringPartition, sessionGuarantees } from "./demo-acts.js";
import { read, untilConverged, write } from "./eventual-consistency.js";
import { check } from "./history.js";
import { runWorkload } from "./workload.js";

const LAGS_MS = [0, 5, 10, 20, 40];
const WRITE_EVERY_MS = 20;
const round = (value: number, digits = 1) => Number(value.toFixed(digits));
const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

export default defineDemo({
  title: "Eventual consistency",
  services: [],
  async run(ctx) {
    // A real Redis primary and two real replicas. Each replica's replication
    // link runs through a ChaosProxy, so we can make it lag at will; client
    // traffic goes straight to each server.
    const cluster = await Cluster.start();
    ctx.defer(() => cluster.close());
    const [fresh, slow] = cluster.replicas as [Cluster["replicas"][0], Cluster["replicas"][0]];
    const nodes = cluster.replicas.map(({ name, client }) => ({ name, client }));
    ctx.say(
      "A Redis primary acknowledges a write before its replicas have it. We slow the replication " +
        "link down and read from a replica right after a write.",
    );

    // 1. One stale read, and how long "eventually" took.
    const key = `profile:${crypto.randomUUID()}`;
    const first = await write(cluster.primary, key, "Ada");
    await untilConverged(fresh.client, key, first);
    cluster.lag(100);
    ctx.event("links", "replication slowed", "100 ms each way");
    const second = await write(cluster.primary, key, "Ada Lovelace");
    const acknowledgedAt = performance.now();
    ctx.event("client", `wrote version ${second} on the primary`, "acknowledged");
    const seen = await read(fresh.client, key);
    const staleAtOnce = seen.version < second;
    ctx.event(
      "client",
      `read replica-1 → version ${seen.version} "${seen.value}"`,
      staleAtOnce ? "stale: an older value, and no error" : "already up to date",
    );
    const converged = await untilConverged(fresh.client, key, second, { since: acknowledgedAt });
    cluster.lag(0);
    ctx.event(
      "replica-1",
      `converged on version ${second}`,
      `${round(converged.ms)} ms after the acknowledgement, ${converged.reads} reads later`,
    );
    ctx.metric("time to convergence at 100 ms lag", round(converged.ms), "ms");

    // 2. The history checker. One writer bumps a key every 20 ms, two
    // readers read the replicas back to back, and we record everything.
    // Afterwards the checker counts the reads that missed a write already
    // acknowledged when they began. Then writes stop, and we time how long
    // the replicas take to hold the last one.
    ctx.say(
      `One writer writes every ${WRITE_EVERY_MS} ms, two readers read the replicas; we check ` +
        `the recorded history at ${LAGS_MS.length} lags.`,
    );
    const sweep: { lagMs: number; reads: number; stale: number; convergedMs: number }[] = [];
    for (const lagMs of LAGS_MS) {
      cluster.lag(lagMs);
      const sweepKey = `sweep:${lagMs}:${crypto.randomUUID()}`;
      const ops = await runWorkload(cluster.primary, nodes, {
        key: sweepKey,
        durationMs: ctx.fast ? 400 : 2_000,
        writeEveryMs: WRITE_EVERY_MS,
        readers: 2,
        signal: ctx.signal,
      });
      // Then the writer stops, after one last write, and we time how long
      // both replicas take to return it.
      const last = await write(cluster.primary, sweepKey, "last");
      const since = performance.now();
      const times = await Promise.all(
        cluster.replicas.map((r) => untilConverged(r.client, sweepKey, last, { since })),
      );
      const verdict = check(ops);
      const row = {
        lagMs,
        reads: verdict.reads,
        stale: verdict.staleReads,
        convergedMs: Math.max(...times.map((t) => t.ms)),
      };
      sweep.push(row);
      ctx.event(
        "checker",
        `lag ${lagMs} ms: ${row.stale} of ${row.reads} reads stale (${percent(row.stale / row.reads)})`,
        `${verdict.writes} writes; both replicas converged ${round(row.convergedMs)} ms after the last`,
      );
    }
    cluster.lag(0);
    ctx.table(
      sweep.map((row) => ({
        "replication lag": `${row.lagMs} ms`,
        reads: row.reads,
        "stale reads": row.stale,
        "stale %": percent(row.stale / row.reads),
        "converged after": `${round(row.convergedMs)} ms`,
      })),
    );
    ctx.say("Stale reads against replication lag:");
    for (const line of barChart(
      sweep.map((row) => ({ label: `${row.lagMs} ms`, share: row.stale / row.reads })),
    )) {
      ctx.say(line);
    }
    const shareAt = (lagMs: number) => {
      const row = sweep.find((r) => r.lagMs === lagMs)!;
      return row.stale / row.reads;
    };
    const maxLag = LAGS_MS.at(-1)!;
    ctx.metric("stale reads with no added lag", round(shareAt(0) * 100), "%");
    ctx.metric(`stale reads at ${maxLag} ms lag`, round(shareAt(maxLag) * 100), "%");

    // 3. Session guarantees. replica-1 lags 10 ms, replica-2 100 ms. Each
    // session writes, then reads at once, 20 ms later and 40 ms later, while
    // another client keeps writing the same key.
    const sessions = await sessionGuarantees(ctx, cluster, nodes);
    fresh.link.latency(0);
    slow.link.latency(0);

    // 4. Two primaries and a partition. Each side adds items to the same
    // cart while they cannot talk; then the partition heals and our
    // replicator merges. Three ways to merge, the same workload.
    ctx.say(
      "Two independent Redis primaries, replicated by our own small replicator, both accept adds " +
        "to one cart during a partition.",
    );
    const conflicts = [
      await conflict(
        ctx,
        lastWriteWins,
        (s) => s.items,
        (s) => `1 cart, node ${s.node}'s`,
      ),
      await conflict(ctx, versionVectors, cartItems, (s) => `${s.siblings.length} siblings`),
      await countDuringPartition(ctx),
    ];
    ctx.table(
      conflicts.map((c) => ({
        "merged by": c.name,
        "acknowledged writes": c.acknowledged,
        survived: c.survived,
        lost: c.lost,
        "after healing": c.values,
      })),
    );

    const plain = sessions.find((s) => s.name === "plain")!;
    const token = sessions.find((s) => s.name === "version token")!;
    const sticky = sessions.find((s) => s.name === "sticky replica")!;
    const primaryAfterWrite = sessions.find((s) => s.name === "primary after write")!;
    ctx.claim(
      "a read from a lagging replica right after an acknowledged write returned the old value",
      staleAtOnce,
    );
    ctx.claim(
      "once writes stopped, every replica converged on the last write, at every lag, later at 100 ms of lag than with none",
      sweep.length === LAGS_MS.length && converged.ms > sweep[0]!.convergedMs,
    );
    ctx.claim(
      "the history checker found more stale reads the longer the lag",
      shareAt(maxLag) > 0.5 && shareAt(maxLag) > shareAt(0) * 2,
    );
    ctx.claim(
      "without help a session missed its own writes and saw time go backwards; a sticky replica " +
        "fixed only the second",
      plain.readYourWrites > 0 &&
        plain.monotonic > 0 &&
        sticky.monotonic === 0 &&
        sticky.readYourWrites > 0,
    );
    ctx.claim(
      "reading from the primary after writing kept read-your-writes by sending the reads to the primary",
      primaryAfterWrite.readYourWrites === 0 &&
        primaryAfterWrite.primaryReads === primaryAfterWrite.reads,
    );
    ctx.claim(
      "a version token kept read-your-writes and monotonic reads on lagging replicas",
      token.readYourWrites === 0 && token.monotonic === 0 && token.fallbacks > 0,
    );
    ctx.claim(
      "last write wins lost acknowledged adds; siblings and the G-Counter lost none",
      conflicts[0]!.lost > 0 && conflicts[1]!.lost === 0 && conflicts[2]!.lost === 0,
    );
  },
});
