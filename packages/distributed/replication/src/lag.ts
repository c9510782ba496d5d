import { setImmediate, setTimeout as sleep } from "node:timers/promises";

// Lag is the time from "the primary acknowledged my commit" until "a read
// on the replica sees it". We measure it from outside, as a client would:
// one writer commits sequence numbers 1, 2, 3… at a steady rate, and a
// reader on the replica asks, again and again, for the highest one it can
// see. A number is seen at the first read that returns it or a later one.

/** How a lag measurement writes to the primary and reads the replica. */
export interface LagProbe {
  /** Commits sequence number `seq` on the primary; resolves when acknowledged. */
  write(seq: number): Promise<void>;
  /** The highest sequence number a read on the replica returns right now. */
  latest(): Promise<number>;
}

export interface LagReport {
  /** One lag per write, in write order, in milliseconds. */
  samples: number[];
  medianMs: number;
  p99Ms: number;
  maxMs: number;
}

/**
 * Commits `writes` sequence numbers, one every `intervalMs`, and times how
 * long each takes to become visible on the replica. Rejects if any write
 * is still invisible `timeoutMs` after the last one was acknowledged.
 */
export async function measureLag(
  probe: LagProbe,
  {
    writes,
    intervalMs,
    timeoutMs = 30_000,
    signal,
  }: { writes: number; intervalMs: number; timeoutMs?: number; signal?: AbortSignal },
): Promise<LagReport> {
  const ackedAt: number[] = [];
  const seenAt: number[] = [];
  let writing = true;
  let writerFailed = false;

  const writer = (async () => {
    const start = performance.now();
    try {
      for (let seq = 1; seq <= writes; seq++) {
        signal?.throwIfAborted();
        await probe.write(seq);
        ackedAt[seq] = performance.now();
        const wait = start + seq * intervalMs - performance.now();
        if (wait > 0) await sleep(wait);
      }
    } catch (error) {
      writerFailed = true;
      throw error;
    } finally {
      writing = false;
    }
  })();

  // The reader polls without pausing, to time lags well under a
  // millisecond; it only yields to the event loop between reads.
  const reader = (async () => {
    let seen = 0;
    let deadline = Number.POSITIVE_INFINITY;
    while (seen < writes && !writerFailed) {
      const latest = await probe.latest();
      const now = performance.now();
      while (seen < latest) seenAt[++seen] = now;
      if (!writing && deadline === Number.POSITIVE_INFINITY) deadline = now + timeoutMs;
      if (now > deadline)
        throw new Error(
          `Only ${seen} of ${writes} writes reached the replica within ${timeoutMs} ms of the last ` +
            "acknowledgement: check that the replica is streaming (pg_stat_replication, INFO replication).",
        );
      await setImmediate();
    }
  })();

  await Promise.all([writer, reader]);
  // A replica can show a write before its acknowledgement has reached the
  // client; that write had no lag we could see, so it counts as 0.
  const samples = ackedAt.slice(1).map((acked, i) => Math.max(0, seenAt[i + 1]! - acked));
  return {
    samples,
    medianMs: percentile(samples, 0.5),
    p99Ms: percentile(samples, 0.99),
    maxMs: Math.max(...samples),
  };
}

/** The nearest-rank percentile `p` (0 to 1) of `values`. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}
