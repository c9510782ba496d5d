import { setTimeout as sleep } from "node:timers/promises";

/**
 * Re-checks `condition` every `everyMs` until it holds (true) or `timeoutMs`
 * has passed (false). Only for state that nothing announces, such as a
 * replica's replay position or a row another process wrote: where an event
 * exists, await the event instead. A check that throws counts as "not yet".
 */
export async function poll(
  condition: () => boolean | Promise<boolean>,
  { timeoutMs = 10_000, everyMs = 10 }: { timeoutMs?: number; everyMs?: number } = {},
): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (
    !(await Promise.resolve()
      .then(condition)
      .catch(() => false))
  ) {
    if (performance.now() > deadline) return false;
    await sleep(everyMs);
  }
  return true;
}

/** Like {@link poll}, but throws `<what> did not happen within N ms` on timeout. */
export async function waitUntil(
  what: string,
  condition: () => boolean | Promise<boolean>,
  options: { timeoutMs?: number; everyMs?: number } = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  if (!(await poll(condition, { ...options, timeoutMs }))) {
    throw new Error(`${what} did not happen within ${timeoutMs} ms`);
  }
}

/**
 * Whether `work` settles (either way) within `ms`. This is the bounded wait
 * behind claims that something blocks: a commit waiting for a paused
 * standby, a request to a frozen server.
 */
export async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([
      work.then(
        () => true,
        () => true,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
