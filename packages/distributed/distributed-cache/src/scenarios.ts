// Measured pieces the demo and the bench share: a skewed read workload,
// per-read latencies, and a bounded number of requests in flight.

/**
 * `reads` product ids out of `products`, in random order, skewed the way
 * real traffic is: `hotShare` of the reads go to the first `hot` products.
 */
export function skewedReads(reads: number, products: number, hot = 20, hotShare = 0.8): string[] {
  return Array.from({ length: reads }, () => {
    const n = Math.random() < hotShare ? hot : products;
    return `p${1 + Math.floor(Math.random() * n)}`;
  });
}

/** Latencies of a run of reads, in ms: all of them, and those that were cache hits. */
export interface Timed {
  all: number[];
  hits: number[];
  totalMs: number;
}

/** Runs `read` for each id in turn; `hits` is a counter that grows when a read hit the cache. */
export async function timeReads(
  ids: readonly string[],
  read: (id: string) => Promise<unknown>,
  hits: () => number = () => 0,
  signal?: AbortSignal,
): Promise<Timed> {
  const timed: Timed = { all: [], hits: [], totalMs: 0 };
  const started = performance.now();
  for (const id of ids) {
    signal?.throwIfAborted();
    const [hitsBefore, readStarted] = [hits(), performance.now()];
    await read(id);
    const took = performance.now() - readStarted;
    timed.all.push(took);
    if (hits() > hitsBefore) timed.hits.push(took);
  }
  timed.totalMs = performance.now() - started;
  return timed;
}

/** Runs `work` on every item, with at most `concurrency` running at once. */
export async function inParallel<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: concurrency }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  });
  await Promise.all(lanes);
  return results;
}

/** `n` requests at the same moment; how long the slowest one waited, in ms. */
export async function burst(n: number, read: (i: number) => Promise<unknown>): Promise<number> {
  const started = performance.now();
  const finished = await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      await read(i);
      return performance.now() - started;
    }),
  );
  return Math.max(...finished);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}
