/**
 * Starting a server prints one line, e.g. `postgres (local) ready in 0.7 s`.
 * On a terminal we show a ticking "starting…" line first, because RabbitMQ
 * and Kafka take seconds and silence looks like a hang.
 */
export interface StartTiming {
  label: string;
  ms: number;
}

const timings: StartTiming[] = [];

/** Every start measured in this process, for `pnpm bench`. */
export function startTimings(): readonly StartTiming[] {
  return timings;
}

function quiet(): boolean {
  if (process.env.PLAYGROUND_QUIET === "1") return true;
  // Inside Jest the reporter owns the terminal; say nothing unless asked.
  return process.env.JEST_WORKER_ID !== undefined && process.env.PLAYGROUND_VERBOSE !== "1";
}

export async function progress<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const tty = process.stderr.isTTY === true && !quiet();
  const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
  let ticker: NodeJS.Timeout | undefined;
  if (tty) {
    const draw = () => process.stderr.write(`\r\x1b[2K${label} starting… ${seconds()} s`);
    draw();
    ticker = setInterval(draw, 250);
    ticker.unref();
  }
  try {
    const result = await work();
    const ms = performance.now() - started;
    timings.push({ label, ms });
    if (tty) process.stderr.write("\r\x1b[2K");
    if (!quiet()) process.stderr.write(`${label} ready in ${(ms / 1000).toFixed(1)} s\n`);
    return result;
  } catch (err) {
    if (tty) process.stderr.write("\r\x1b[2K");
    throw err;
  } finally {
    clearInterval(ticker);
  }
}
