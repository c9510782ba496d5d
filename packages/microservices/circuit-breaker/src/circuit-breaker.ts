import { Emitter } from "./emitter.js";
import {
  BreakerOpenError,
  type BreakerRejectedError,
  CallTimeoutError,
  ProbeLimitError,
} from "./errors.js";
import { SlidingWindow } from "./sliding-window.js";
import { withTimeout } from "./timeout.js";

// A circuit breaker stands between a caller and one dependency. While the
// dependency answers, calls pass straight through. Once too many of them
// fail, the breaker stops calling it for a while and fails at once instead:
// callers stop waiting on timeouts, and the dependency stops getting load.

// The whole story is three states, and each carries only what it needs.
/** Where the circuit is: passing calls, failing fast, or probing with a few calls. */
export type BreakerState =
  | { kind: "closed" }
  | { kind: "open"; openedAt: number }
  | { kind: "half-open"; probes: number; succeeded: number };

/** The knobs. The README maps each one onto opossum's options. */
export interface BreakerOptions<T> {
  /** Names the circuit in errors. Default "breaker". */
  name?: string;
  /** Opens when at least this share (0–1) of the calls in the window failed. Default 0.5. */
  failureRate?: number;
  /** How far back the window reaches, in ms. Default 10 000. */
  windowMs?: number;
  /** The rate is judged only once the window holds this many calls. Default 5. */
  minimumCalls?: number;
  /** A call slower than this is aborted and counts as a failure. Default 1 000. */
  timeoutMs?: number;
  /** How long the circuit fails fast before it lets a probe through. Default 5 000. */
  openMs?: number;
  /** How many calls may probe at the same time while half-open. Default 1. */
  halfOpenProbes?: number;
  /** Served instead of the error when a call is rejected or fails. */
  fallback?: (error: Error) => T | Promise<T>;
  /** The clock for the window and for `openMs`. Default `performance.now`. */
  now?: () => number;
}

/** What the breaker tells its subscribers, by event name. */
export interface BreakerEvents {
  state: { from: BreakerState["kind"]; to: BreakerState["kind"] };
  success: undefined;
  failure: { error: Error };
  timeout: { timeoutMs: number };
  rejected: { error: BreakerRejectedError };
  fallback: { error: Error };
}

const defaults = {
  failureRate: 0.5,
  windowMs: 10_000,
  minimumCalls: 5,
  timeoutMs: 1_000,
  openMs: 5_000,
  halfOpenProbes: 1,
  now: () => performance.now(),
};

/** Guards the calls to one dependency: failures open it, a successful probe closes it. */
export class CircuitBreaker<T> {
  readonly name: string;
  readonly #options: typeof defaults;
  readonly #fallback: BreakerOptions<T>["fallback"];
  readonly #window: SlidingWindow;
  readonly #events = new Emitter<BreakerEvents>();
  #state: BreakerState = { kind: "closed" };
  #epoch = 0;

  constructor({ name = "breaker", fallback, ...options }: BreakerOptions<T> = {}) {
    this.name = name;
    this.#fallback = fallback;
    this.#options = { ...defaults, ...options };
    this.#window = new SlidingWindow(this.#options.windowMs);
  }

  /** The current state. Open becomes half-open on the first call after `openMs`. */
  get state(): Readonly<BreakerState> {
    return this.#state;
  }

  /** Calls and failures in the window now (empty unless closed). */
  get recent(): { calls: number; failures: number } {
    return this.#window.count(this.#options.now());
  }

  /** Subscribes to one kind of event; returns the function that unsubscribes. */
  on<K extends keyof BreakerEvents>(kind: K, listener: (event: BreakerEvents[K]) => void) {
    return this.#events.on(kind, listener);
  }

  /**
   * Runs `call`, passing it a signal that aborts at `timeoutMs`. Resolves with its value or the
   * fallback's; rejects with a {@link BreakerRejectedError}, {@link CallTimeoutError} or its error.
   */
  async execute(call: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const admitted = this.#admit(this.#options.now());
    if (typeof admitted !== "number") {
      this.#events.emit("rejected", { error: admitted });
      return this.#serveFallback(admitted);
    }
    // A slow dependency hurts more than a dead one: every caller waits. So
    // the timeout belongs to the breaker. At `timeoutMs` we abort the call's
    // signal, which cancels the HTTP request underneath, and count a failure.
    // Without it, a probe that hung would hold the circuit half-open for ever.
    const { timeoutMs } = this.#options;
    const timedOut = () => {
      this.#events.emit("timeout", { timeoutMs });
      return new CallTimeoutError(this.name, timeoutMs);
    };
    try {
      const value = await withTimeout(call, timeoutMs, timedOut);
      this.#events.emit("success", undefined);
      this.#settle(admitted, true);
      return value;
    } catch (thrown) {
      const error = thrown instanceof Error ? thrown : new Error(String(thrown));
      this.#events.emit("failure", { error });
      this.#settle(admitted, false);
      return this.#serveFallback(error);
    }
  }

  // Admission is where the breaker earns its keep. Closed, every call
  // passes. Open, none does until `openMs` has passed; we need no timer
  // for that, the first call after it finds the circuit ready to probe.
  // Half-open, only `halfOpenProbes` calls pass: a recovering service hit
  // by every waiting caller at once would fall straight over again.
  #admit(now: number): number | BreakerRejectedError {
    const state = this.#state;
    switch (state.kind) {
      case "closed":
        return this.#epoch;
      case "open": {
        const waited = now - state.openedAt;
        if (waited < this.#options.openMs) {
          return new BreakerOpenError(this.name, this.#options.openMs - waited);
        }
        this.#moveTo({ kind: "half-open", probes: 1, succeeded: 0 });
        return this.#epoch;
      }
      case "half-open":
        if (state.probes >= this.#options.halfOpenProbes) {
          return new ProbeLimitError(this.name, this.#options.halfOpenProbes);
        }
        state.probes++;
        return this.#epoch;
    }
  }

  // Each call reports back to the state that admitted it. A call that
  // started before the circuit last changed state speaks of a past we have
  // already judged, so the `epoch` check drops its answer.
  #settle(epoch: number, ok: boolean): void {
    if (epoch !== this.#epoch) return;
    const { minimumCalls, failureRate, halfOpenProbes, now } = this.#options;
    const state = this.#state;
    // Closed, we judge a rate over the recent window, not a count, and only
    // once the window holds `minimumCalls` calls: one failed call out of one
    // must not open the circuit.
    if (state.kind === "closed") {
      this.#window.record(now(), !ok);
      const { calls, failures } = this.#window.count(now());
      if (calls >= minimumCalls && failures / calls >= failureRate) {
        this.#moveTo({ kind: "open", openedAt: now() });
      }
    }
    // A failed probe reopens the circuit for another `openMs`. When every
    // probe succeeds we close, with an empty window: the failures that
    // opened the circuit belong to the outage that just ended.
    if (state.kind === "half-open") {
      if (!ok) this.#moveTo({ kind: "open", openedAt: now() });
      else if (++state.succeeded >= halfOpenProbes) this.#moveTo({ kind: "closed" });
    }
  }

  #moveTo(next: BreakerState): void {
    const from = this.#state.kind;
    this.#state = next;
    this.#epoch++;
    this.#window.clear();
    this.#events.emit("state", { from, to: next.kind });
  }

  async #serveFallback(error: Error): Promise<T> {
    if (!this.#fallback) throw error;
    this.#events.emit("fallback", { error });
    return this.#fallback(error);
  }
}
