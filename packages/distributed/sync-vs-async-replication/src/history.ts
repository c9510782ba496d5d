// We judge durability the way Jepsen does: by a history. Every write the
// client sends is recorded with how it ended, as the client saw it, and
// only afterwards do we compare the history with what the surviving server
// holds. Jepsen's three outcomes:
//
// - `ok`: the server acknowledged the write. It must survive.
// - `fail`: the server said it did not happen (a constraint, a syntax error).
// - `unknown`: the connection died first, or the server gave up waiting.
//   The write may or may not have happened; either is allowed.

/** How one write ended, as its client saw it. */
export type Outcome = "pending" | "ok" | "fail" | "unknown";

/** One write the client sent. */
export interface Op {
  id: number;
  /** What the experiment was doing when the write was sent, e.g. "healthy" or "partitioned". */
  phase: string;
  outcome: Outcome;
  error?: string;
}

/** What the survivors hold, judged against the history. */
export interface Verdict {
  /** Writes the client was told had happened. */
  acknowledged: number;
  /** Acknowledged writes the survivor does not have: broken durability. */
  lost: number[];
  /** Writes whose fate the client never learned (`unknown`, or still pending). */
  unacknowledged: number;
  /** Of those, how many the survivor has anyway: allowed, and not a loss. */
  unacknowledgedPresent: number;
  /** Rows the survivor has that no client wrote, or that were refused: should be none. */
  phantoms: number[];
}

export class History {
  readonly ops: Op[] = [];
  /** The phase new writes are recorded under. */
  phase = "healthy";

  /** Records a write about to be sent; its id is unique in this history. */
  invoke(): Op {
    const op: Op = { id: this.ops.length + 1, phase: this.phase, outcome: "pending" };
    this.ops.push(op);
    return op;
  }

  ok(op: Op): void {
    op.outcome = "ok";
  }

  // An error that carries an SQLSTATE came from the server, which then rolled
  // the statement back: a definite failure. Except the "operator
  // intervention" class 57 (shutdown, terminated backend) and the connection
  // class 08: a commit can be durable on the primary when those arrive.
  // An error without a code is the socket dying under us: unknown.
  /** Records how a write failed, deciding whether its fate is known. */
  failed(op: Op, error: unknown): void {
    const code = (error as { code?: unknown }).code;
    const definite =
      typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) && !/^(08|57)/.test(code);
    op.outcome = definite ? "fail" : "unknown";
    op.error = error instanceof Error ? error.message : String(error);
  }

  /** Writes sent so far; with `phase`, only those sent during it. */
  sent(phase?: string): number {
    return this.ops.filter((op) => !phase || op.phase === phase).length;
  }

  /** Acknowledged writes so far; with `phase`, only those sent during it. */
  acknowledged(phase?: string): number {
    return this.ops.filter((op) => op.outcome === "ok" && (!phase || op.phase === phase)).length;
  }

  /** Compares the history with the ids the surviving server holds; with `phase`, only the writes sent during it. */
  check(present: ReadonlySet<number>, phase?: string): Verdict {
    const ops = this.ops.filter((op) => !phase || op.phase === phase);
    const acknowledged = ops.filter((op) => op.outcome === "ok");
    const unacknowledged = ops.filter((op) => op.outcome === "unknown" || op.outcome === "pending");
    const written = new Set(this.ops.filter((op) => op.outcome !== "fail").map((op) => op.id));
    return {
      acknowledged: acknowledged.length,
      lost: acknowledged.filter((op) => !present.has(op.id)).map((op) => op.id),
      unacknowledged: unacknowledged.length,
      unacknowledgedPresent: unacknowledged.filter((op) => present.has(op.id)).length,
      phantoms: phase ? [] : [...present].filter((id) => !written.has(id)),
    };
  }
}
