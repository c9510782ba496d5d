/** What a load run measured: per-request latency, and requests per second overall. */
export interface LoadResult {
  requests: number;
  concurrency: number;
  p50: number;
  p99: number;
  perSecond: number;
}

/** The value below which `share` of the sorted values fall. */
export function percentile(values: number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))] ?? Number.NaN;
}

/**
 * Runs `call` `requests` times with `concurrency` calls in flight at once:
 * each of `concurrency` workers starts its next call when its last one ends.
 */
export async function runLoad(
  call: () => Promise<unknown>,
  { requests, concurrency }: { requests: number; concurrency: number },
): Promise<LoadResult> {
  const latencies: number[] = [];
  let started = 0;
  const worker = async () => {
    while (started < requests) {
      started++;
      const at = performance.now();
      await call();
      latencies.push(performance.now() - at);
    }
  };
  const begin = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = performance.now() - begin;
  return {
    requests,
    concurrency,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    perSecond: (requests / elapsed) * 1000,
  };
}
