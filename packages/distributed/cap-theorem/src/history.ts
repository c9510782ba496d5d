// We measure the way Jepsen does. Every client records each operation it
// issued, when, and how it ended: acknowledged (`ok`), refused (`fail`), or
// no answer within the bound (`timeout`, which Jepsen calls "info": the
// write may or may not have happened). A checker reads the history after the
// partition has healed; what the database says about itself plays no part.

/** Where in the experiment an operation began. */
export type Phase = "healthy" | "partitioned";

export type Outcome = "ok" | "fail" | "timeout";

interface Timed {
  process: string;
  phase: Phase;
  outcome: Outcome;
  start: number;
  end: number;
}

/** Adds `value` to the set. */
export interface WriteOp extends Timed {
  f: "write";
  value: number;
}

/** Reads the whole set from one node. */
export interface ReadOp extends Timed {
  f: "read";
  values: number[];
}

/** One operation by one client, timed with `performance.now()`. */
export type Op = WriteOp | ReadOp;

/** What the checker found. */
export interface Verdict {
  writes: Record<Outcome, number>;
  /** Share of the writes issued during the partition that were acknowledged within the bound. */
  availability: number;
  reads: number;
  /** Reads that missed a write acknowledged before they began. */
  staleReads: number;
  staleReadsPartitioned: number;
  /** Acknowledged writes missing from the final state. */
  lostWrites: number[];
  /** Writes that timed out yet are in the final state: a timeout is not a "no". */
  timedOutButApplied: number;
}

export function check(ops: readonly Op[], final: readonly number[]): Verdict {
  const writes = ops.filter((op): op is WriteOp => op.f === "write");
  const acked = writes.filter((op) => op.outcome === "ok");
  const reads = ops.filter((op): op is ReadOp => op.f === "read" && op.outcome === "ok");
  const present = new Set(final);

  // Availability in CAP's sense: did the system answer, and answer yes? We
  // count only writes issued while the partition lasted, and only answers
  // within the bound; a write that hangs until the partition heals was not
  // available.
  const partitioned = writes.filter((op) => op.phase === "partitioned");
  const availability =
    partitioned.filter((op) => op.outcome === "ok").length / Math.max(1, partitioned.length);

  // A read is stale when a write was acknowledged before the read began and
  // the read does not contain it. That is the C of CAP: linearizability, as
  // if there were one copy.
  const stale = reads.filter((read) => {
    const seen = new Set(read.values);
    return acked.some((write) => write.end < read.start && !seen.has(write.value));
  });

  return {
    writes: {
      ok: acked.length,
      fail: writes.filter((op) => op.outcome === "fail").length,
      timeout: writes.filter((op) => op.outcome === "timeout").length,
    },
    availability,
    reads: reads.length,
    staleReads: stale.length,
    staleReadsPartitioned: stale.filter((op) => op.phase === "partitioned").length,
    lostWrites: acked.filter((op) => !present.has(op.value)).map((op) => op.value),
    timedOutButApplied: writes.filter((op) => op.outcome === "timeout" && present.has(op.value))
      .length,
  };
}
