import type pg from "pg";

/** How long `work` took, in ms. */
export async function timeMs(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** The median of `runs` timings of `work`, in ms, after one untimed warm-up run. */
export async function medianMs(work: () => Promise<unknown>, runs = 5): Promise<number> {
  await work();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await timeMs(work));
  return median(times);
}

/**
 * Resolves true once the backend `pid` is waiting on a lock, or false after
 * `timeoutMs` or when `signal` aborts. PostgreSQL reports lock waits in
 * `pg_stat_activity`; we poll it, because a lock wait raises no event a
 * client can subscribe to.
 */
export async function waitsOnLock(
  db: pg.Pool,
  pid: number,
  { timeoutMs = 10_000, signal }: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline && !signal?.aborted) {
    const { rows } = await db.query<{ waiting: boolean }>(
      "SELECT wait_event_type = 'Lock' AS waiting FROM pg_stat_activity WHERE pid = $1",
      [pid],
    );
    if (rows[0]?.waiting) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return false;
}
