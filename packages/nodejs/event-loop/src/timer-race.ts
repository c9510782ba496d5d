import { execFile } from "node:child_process";

// From the main module, `setTimeout(fn, 0)` against `setImmediate(fn)` is a
// race, and the winner changes from one process to the next. Node turns the
// 0 into 1 ms. When the loop starts its first turn, the timers phase asks
// "has 1 ms passed since the timer was set?" If start-up took longer than
// that, the timeout runs first; if not, the loop moves on to check, and the
// immediate wins. So we can only see it across many fresh processes.

const SCRIPT = `
setTimeout(() => process.stdout.write("timeout "), 0);
setImmediate(() => process.stdout.write("immediate "));
`;

export type RaceOutcome = "timeout-first" | "immediate-first";

export interface RaceTally {
  runs: number;
  timeoutFirst: number;
  immediateFirst: number;
  /** What each process printed, in the order the runs finished. */
  outputs: string[];
}

/** Runs the race once, in a fresh Node.js process, and returns what it printed. */
export function raceOnce(signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["-e", SCRIPT], { signal }, (error, stdout) =>
      error ? reject(error) : resolve(stdout.trim()),
    );
  });
}

/** Classifies one process's output, or `undefined` if it is neither valid order. */
export function outcomeOf(output: string): RaceOutcome | undefined {
  if (output === "timeout immediate") return "timeout-first";
  if (output === "immediate timeout") return "immediate-first";
  return undefined;
}

/**
 * Runs the race in `runs` fresh processes, `concurrency` at a time, and
 * counts who won. Fresh processes matter: inside one process, the second
 * time round the loop is already running and the answer is fixed.
 */
export async function raceManyTimes(
  runs: number,
  {
    concurrency = 4,
    signal,
    onRun,
  }: { concurrency?: number; signal?: AbortSignal; onRun?: (outputs: string[]) => void } = {},
): Promise<RaceTally> {
  const outputs: string[] = [];
  let started = 0;
  const worker = async () => {
    while (started < runs) {
      started++;
      outputs.push(await raceOnce(signal));
      onRun?.(outputs);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, runs) }, worker));
  const count = (outcome: RaceOutcome) => outputs.filter((o) => outcomeOf(o) === outcome).length;
  return {
    runs,
    timeoutFirst: count("timeout-first"),
    immediateFirst: count("immediate-first"),
    outputs,
  };
}
