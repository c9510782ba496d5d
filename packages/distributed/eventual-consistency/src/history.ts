// We check consistency the way Jepsen does: we do not trust what a database
// says about itself. Every client records each operation it issued, when it
// started, when it returned and what it returned. Afterwards a checker reads
// the whole history and decides which reads broke which promise.

/** One completed operation on the register, timed with `performance.now()`. */
export interface Op {
  /** The client that issued it: a session, a reader, a writer. */
  process: string;
  f: "write" | "read";
  /** The version written (as acknowledged) or read. */
  version: number;
  /** Where a read was served: "primary", "replica-1"… */
  node: string;
  start: number;
  end: number;
}

/** Records operations as they complete. */
export class History {
  readonly ops: Op[] = [];

  /** Runs `op`, timing it, and records it once it resolves with a version and the node that served it. */
  async record(
    process: string,
    f: Op["f"],
    op: () => Promise<{ version: number; node: string }>,
  ): Promise<number> {
    const start = performance.now();
    const { version, node } = await op();
    this.ops.push({ process, f, version, node, start, end: performance.now() });
    return version;
  }
}

/** What the checker found. */
export interface Verdict {
  reads: number;
  writes: number;
  /** Reads that missed a write acknowledged before they started. */
  staleReads: number;
  /** Reads that returned an older version than an earlier read of the same process. */
  monotonicViolations: number;
  /** Reads that returned an older version than the same process had written. */
  readYourWritesViolations: number;
}

export function check(ops: readonly Op[]): Verdict {
  const writes = ops.filter((op) => op.f === "write").sort((a, b) => a.end - b.end);
  const reads = ops.filter((op) => op.f === "read");

  // A read is stale when a write was acknowledged before the read even began
  // and the read still returned something older. Reads that overlap a write
  // may go either way; we count only what no ordering of events excuses.
  let staleReads = 0;
  for (const read of reads) {
    const newestAcked = latestBefore(writes, read.start);
    if (read.version < newestAcked) staleReads++;
  }

  // Session guarantees are about one process's own history, in its own
  // order: never go back to a version older than one it has seen, and never
  // read older than what it wrote itself.
  let monotonicViolations = 0;
  let readYourWritesViolations = 0;
  const byProcess = new Map<string, Op[]>();
  for (const op of [...ops].sort((a, b) => a.start - b.start)) {
    if (!byProcess.has(op.process)) byProcess.set(op.process, []);
    byProcess.get(op.process)!.push(op);
  }
  for (const own of byProcess.values()) {
    let seen = 0;
    let written = 0;
    for (const op of own) {
      if (op.f === "write") {
        written = Math.max(written, op.version);
        continue;
      }
      if (op.version < seen) monotonicViolations++;
      if (op.version < written) readYourWritesViolations++;
      seen = Math.max(seen, op.version);
    }
  }
  return {
    reads: reads.length,
    writes: writes.length,
    staleReads,
    monotonicViolations,
    readYourWritesViolations,
  };
}

/** The highest version among the writes acknowledged before `time` (`writes` sorted by `end`). */
function latestBefore(writes: readonly Op[], time: number): number {
  let newest = 0;
  for (const write of writes) {
    if (write.end >= time) break;
    newest = Math.max(newest, write.version);
  }
  return newest;
}
