import { type DemoContext, defineDemo } from "@playground/kit";
import { AsyncRedis } from "./ap-redis.js";
import { type ExperimentOptions, type Report, runPartitionExperiment } from "./cap-theorem.js";
import { SyncPostgres } from "./cp-postgres.js";
import type { WriteOp } from "./history.js";
import { commitLatencies, median } from "./pacelc.js";

const REGION_LATENCY_MS = 20;
const round = (value: number, digits = 1) => Number(value.toFixed(digits));
const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

export default defineDemo({
  title: "CAP theorem",
  services: [],
  async run(ctx) {
    // Two pairs of real servers, each a primary and a replica whose
    // replication link runs through a chaos proxy. Two clients per pair:
    // `a` next to the primary, `b` next to the replica. The partition cuts
    // the link and `b`'s path to the primary, and nothing else.
    const options: ExperimentOptions = {
      healthyMs: ctx.fast ? 200 : 1_000,
      partitionMs: ctx.fast ? 800 : 2_000,
      boundMs: 200,
      everyMs: 20,
      signal: ctx.signal,
    };
    ctx.say(
      `Each client writes a new number to a set and reads the set back, every ${options.everyMs} ms; ` +
        `an answer later than ${options.boundMs} ms counts as no answer. We partition, heal, and check the history.`,
    );

    // First, PACELC's "else": no partition at all. The synchronous standby
    // that will keep PostgreSQL consistent below costs every commit a round
    // trip to the standby, all the time. We time the same insert both ways.
    const cp = await SyncPostgres.start();
    ctx.defer(() => cp.close());
    const latency = async (awayMs: number, commits: number) => {
      cp.pair.link!.latency(awayMs);
      const latencies = await commitLatencies(cp.pair.primary.url, commits);
      const [local, remote] = [median(latencies.local), median(latencies.remote_apply)];
      cp.pair.link!.latency(0);
      ctx.event(
        "postgres",
        awayMs ? `standby ${awayMs} ms away each way` : "standby on the same machine",
        `median commit: local ${round(local, 2)} ms, waiting for the standby ${round(remote, 2)} ms (${round(remote / local)}x)`,
      );
      return { local, remote, ratio: remote / local };
    };
    const sameMachine = await latency(0, ctx.fast ? 30 : 60);
    const otherRegion = await latency(REGION_LATENCY_MS, ctx.fast ? 10 : 30);
    ctx.metric("synchronous / local commit latency, same machine", round(sameMachine.ratio), "x");
    ctx.metric(
      `synchronous / local commit latency, standby ${REGION_LATENCY_MS} ms away`,
      round(otherRegion.ratio),
      "x",
    );

    // Now the partition. CP first: every commit waits for a standby it
    // cannot reach, so the clients' bound runs out, and nothing is
    // acknowledged until the partition heals.
    ctx.say("CP: PostgreSQL with a synchronous standby (synchronous_commit = remote_apply).");
    const cpReport = await runPartitionExperiment(cp, { ...options, onPhase: narrate(ctx, "CP") });
    describe(ctx, "CP", cpReport);

    // Then AP: Redis acknowledges on the primary alone. `b` cannot reach it,
    // so after 100 ms of silence `b` promotes the replica, like Sentinel on
    // its side of the split would, and both sides say yes to everything.
    ctx.say("AP: Redis with asynchronous replication, and a failover on the replica's side.");
    const ap = await AsyncRedis.start({
      detectAfterMs: 100,
      onEvent: (actor, what, detail) => ctx.event(actor, what, detail),
    });
    ctx.defer(() => ap.close());
    const apReport = await runPartitionExperiment(ap, { ...options, onPhase: narrate(ctx, "AP") });
    describe(ctx, "AP", apReport);

    const healthyMedian = (report: Report) =>
      median(
        report.ops
          .filter(
            (op): op is WriteOp =>
              op.f === "write" && op.phase === "healthy" && op.outcome === "ok",
          )
          .map((op) => op.end - op.start),
      );
    ctx.table(
      [cpReport, apReport].map((report) => ({
        configuration: report.system,
        "availability (partitioned)": percent(report.availability),
        "stale reads": report.staleReads,
        "lost writes": report.lostWrites.length,
        "timed out, applied later": report.timedOutButApplied,
        "median write, healthy": `${round(healthyMedian(report), 2)} ms`,
      })),
    );
    ctx.metric("CP availability during the partition", round(cpReport.availability * 100), "%");
    ctx.metric("AP availability during the partition", round(apReport.availability * 100), "%");
    ctx.metric("AP lost writes", apReport.lostWrites.length, "writes");

    ctx.claim(
      "CP: during the partition no write was acknowledged within the bound, and no acknowledged write was stale or lost",
      cpReport.availability === 0 && cpReport.staleReads === 0 && cpReport.lostWrites.length === 0,
    );
    ctx.claim(
      "CP: writes that timed out during the partition committed once it healed (a timeout is not a no)",
      cpReport.writes.timeout > 0 && cpReport.timedOutButApplied === cpReport.writes.timeout,
    );
    ctx.claim(
      "AP: both sides kept acknowledging writes, and reads missed writes acknowledged on the other side",
      apReport.availability >= 0.9 && apReport.staleReadsPartitioned > 0,
    );
    ctx.claim(
      "AP: once the old primary rejoined as a replica, the writes it acknowledged during the partition were lost",
      apReport.lostWrites.length > 0,
    );
    ctx.claim(
      "the partition was not optional: neither configuration was both available and consistent during it",
      cpReport.availability < 0.5 && apReport.staleReads + apReport.lostWrites.length > 0,
    );
    ctx.claim(
      `PACELC: with no partition, a commit that waited for a standby ${REGION_LATENCY_MS} ms away took several times as long as a local one`,
      otherRegion.ratio > 3,
    );
  },
});

function narrate(ctx: DemoContext<never>, system: string) {
  let last = "connected";
  return (phase: string) => {
    ctx.state(`${system} network`, last, phase);
    last = phase;
  };
}

function describe(ctx: DemoContext<never>, system: string, report: Report) {
  const partitioned = report.ops.filter(
    (op): op is WriteOp => op.f === "write" && op.phase === "partitioned",
  );
  const acked = partitioned.filter((op) => op.outcome === "ok").length;
  ctx.event(
    `${system} clients`,
    `${acked} of ${partitioned.length} writes during the partition acknowledged within the bound`,
    `in the whole run ${report.writes.timeout} timed out, ${report.writes.fail} refused`,
  );
  ctx.event(
    `${system} checker`,
    `${report.staleReads} of ${report.reads} reads stale, ${report.lostWrites.length} acknowledged writes lost`,
    `${report.final.length} values in the final set; ${report.timedOutButApplied} timed-out writes applied later`,
  );
}
