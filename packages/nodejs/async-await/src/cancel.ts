import { setTimeout as sleep } from "node:timers/promises";
import { getText } from "./async-await.js";

// A promise has no cancel method: once started, the work behind it runs
// until it ends. Cancelling is a separate object, an `AbortSignal`, that we
// pass to the work. The work listens and stops; the promise then rejects
// with an error named `AbortError`, so `catch` can tell a cancel apart.

/** What happened to a cancelled call. */
export interface Cancelled {
  name: string;
  afterMs: number;
}

/**
 * Starts a GET of `url` and aborts it through an `AbortController` when
 * `cancel` resolves (a user's click, a shutdown); reports how the call ended.
 */
export async function cancelFetch(url: string, cancel: Promise<unknown>): Promise<Cancelled> {
  const controller = new AbortController();
  const start = performance.now();
  const request = getText(url, controller.signal);
  // The controller is the "cancel" button; `controller.signal` went to the
  // work. `fetch` closes the connection when it fires, so the server can
  // stop what it was doing for us.
  void cancel.then(() => controller.abort());
  try {
    await request;
    return { name: "not cancelled", afterMs: performance.now() - start };
  } catch (error) {
    return { name: (error as Error).name, afterMs: performance.now() - start };
  }
}

// Most of Node's own async APIs take a `signal`: `fetch`, `timers/promises`,
// `fs.readFile`, `events.once`, `child_process`, streams. A deadline is just
// a signal that fires by itself: `AbortSignal.timeout(ms)`, which rejects
// with `TimeoutError` instead, so a deadline and a user's cancel differ.

/** GETs `url` but gives up after `ms`. */
export function getTextWithin(url: string, ms: number): Promise<string> {
  return getText(url, AbortSignal.timeout(ms));
}

/** A `ms` wait that ends early, with `AbortError`, when `signal` fires. */
export function wait(ms: number, signal: AbortSignal): Promise<void> {
  return sleep(ms, undefined, { signal });
}
