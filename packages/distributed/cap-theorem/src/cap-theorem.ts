import { check, type Op, type Outcome, type Phase, type Verdict } from "./history.js";

// CAP is about one moment: the network has split the nodes in two, and a
// client asks a node that cannot reach the others to write. The node can say
// yes, and the copies disagree (Available, not Consistent); or it can refuse
// or wait until the partition heals (Consistent, not Available). "Partition
// tolerance" is not a third thing to pick: networks partition whether we
// chose to tolerate it or not. So the choice is C or A, during a partition.

// Every system in this package is two nodes, a primary and a replica, with
// the replication link running through a chaos proxy. Two clients use it:
// `a` sits next to the primary, `b` next to the replica. The partition cuts
// the link and `b`'s path to the primary, so `b` can only reach the replica.

/** What one client can do. Errors and hangs are answers too; the experiment records them. */
export interface Client {
  /** Adds `value` to a set; resolves once the system acknowledges it. */
  write(value: number): Promise<void>;
  /** The whole set, as this client's node returns it. */
  read(): Promise<number[]>;
}

/** A two-node system under test: its clients, the partition, and the healing. */
export interface PartitionableSystem {
  readonly name: string;
  /** The client next to the primary. */
  readonly a: Client;
  /** The client on the replica's side of the partition. */
  readonly b: Client;
  partition(): void;
  /** Ends the partition and lets the system reconcile, however it does that. */
  heal(): Promise<void>;
  /** The set as the primary holds it once healed; the nodes must agree on it. */
  final(): Promise<number[]>;
}

/** How long each phase lasts, and how patient the clients are. */
export interface ExperimentOptions {
  healthyMs: number;
  partitionMs: number;
  /** An operation not answered within this is recorded as a `timeout`. */
  boundMs: number;
  /** The pause between one client's operations. */
  everyMs: number;
  signal?: AbortSignal;
  /** Called as the experiment moves from one phase to the next. */
  onPhase?: (phase: Phase | "healing") => void;
}

/** The history and what the checker made of it. */
export interface Report extends Verdict {
  system: string;
  ops: Op[];
  final: number[];
}

// The experiment is Jepsen's recipe in miniature: clients issue operations
// all along, and each one is bounded, because "the client waited forever"
// is not an answer we can count. Halfway we partition; after a while we
// heal, wait for the stragglers, and read what survived.

/** How one bounded operation ended, with its result when it was acknowledged. */
type Answer<T> = { outcome: "ok"; result: T } | { outcome: Exclude<Outcome, "ok"> };

/** Runs both clients through a healthy phase and a partition, heals, and checks the history. */
export async function runPartitionExperiment(
  system: PartitionableSystem,
  options: ExperimentOptions,
): Promise<Report> {
  const ops: Op[] = [];
  const stragglers: Promise<unknown>[] = [];
  let phase: Phase | "done" = "healthy";
  let nextValue = 1;

  // Each operation races the bound. One that loses keeps running in the
  // background: when the partition heals it may still take effect, and we
  // wait for it before we read the final state.
  const bounded = async <T>(operation: () => Promise<T>): Promise<Answer<T>> => {
    const running = operation();
    stragglers.push(running.catch(() => {}));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<Answer<T>>((resolve) => {
      timer = setTimeout(() => resolve({ outcome: "timeout" }), options.boundMs);
    });
    const answered = running.then(
      (result): Answer<T> => ({ outcome: "ok", result }),
      (): Answer<T> => ({ outcome: "fail" }),
    );
    const answer = await Promise.race([answered, timedOut]);
    clearTimeout(timer);
    return answer;
  };

  const client = async (process: "a" | "b", side: Client) => {
    while (phase !== "done" && !options.signal?.aborted) {
      const started = phase;
      const value = nextValue++;
      const writeStart = performance.now();
      const written = await bounded(() => side.write(value));
      ops.push({
        f: "write",
        process,
        phase: started,
        value,
        outcome: written.outcome,
        start: writeStart,
        end: performance.now(),
      });
      const readStart = performance.now();
      const read = await bounded(() => side.read());
      ops.push({
        f: "read",
        process,
        phase: started,
        outcome: read.outcome,
        values: read.outcome === "ok" ? read.result : [],
        start: readStart,
        end: performance.now(),
      });
      await new Promise((resolve) => setTimeout(resolve, options.everyMs));
    }
  };

  const clients = Promise.all([client("a", system.a), client("b", system.b)]);
  options.onPhase?.("healthy");
  await wait(options.healthyMs, options.signal);
  system.partition();
  phase = "partitioned";
  options.onPhase?.("partitioned");
  await wait(options.partitionMs, options.signal);
  phase = "done";
  await clients;

  options.onPhase?.("healing");
  await system.heal();
  await wait(10_000, options.signal, Promise.all(stragglers));
  const final = await system.final();
  return { system: system.name, ops, final, ...check(ops, final) };
}

/** Waits `ms`, or less if `signal` aborts or `early` settles first. */
async function wait(ms: number, signal?: AbortSignal, early?: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort = () => {};
  await Promise.race([
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
      onAbort = () => resolve();
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
    ...(early ? [early] : []),
  ]);
  clearTimeout(timer);
  signal?.removeEventListener("abort", onAbort);
}
