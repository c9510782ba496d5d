// A breaker that counted every failure forever would never forgive a
// dependency that recovered. So the window keeps each call's outcome with
// its time and forgets what is older than `windowMs`. (opossum and Hystrix
// keep counters in time buckets instead: coarser, but constant memory.)

/** The outcomes of the calls made in the last `windowMs`. */
export class SlidingWindow {
  #calls: { at: number; failed: boolean }[] = [];

  constructor(private readonly windowMs: number) {}

  record(at: number, failed: boolean): void {
    this.#calls.push({ at, failed });
  }

  /** How many calls the window holds at `now`, and how many of them failed. */
  count(now: number): { calls: number; failures: number } {
    this.#calls = this.#calls.filter((call) => call.at > now - this.windowMs);
    return { calls: this.#calls.length, failures: this.#calls.filter((c) => c.failed).length };
  }

  clear(): void {
    this.#calls = [];
  }
}
