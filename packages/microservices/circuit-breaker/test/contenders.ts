import OpossumBreaker from "opossum";
import { CircuitBreaker } from "../src/circuit-breaker.js";
import { BreakerRejectedError, CallTimeoutError } from "../src/errors.js";
import type { Price } from "../src/flaky-service.js";
import { getPrice } from "../src/price-client.js";

// The behavioural spec is written once, against this small surface, and
// runs against two breakers: ours and opossum, the library we would use
// in production. Each adapter configures its breaker to mean the same thing.

export type StateKind = "closed" | "open" | "half-open";

export interface SpecConfig {
  /** Where the dependency (or a chaos proxy in front of it) listens. */
  url: string;
  minimumCalls?: number;
  failureRate?: number;
  timeoutMs?: number;
  openMs?: number;
  windowMs?: number;
  fallback?: (error: Error) => Price;
}

export interface BreakerUnderTest {
  /** One GET /price/:sku through the breaker. */
  call(sku?: string): Promise<Price>;
  state(): StateKind;
  /** Resolves once `openMs` has passed since the breaker opened. */
  coolDown(): Promise<void>;
  /** Resolves once every call made so far has left the window. */
  forgetWindow(): Promise<void>;
  /** The breaker turned the call away without calling the dependency. */
  isRejection(error: unknown): boolean;
  /** The call was cut off at the breaker's timeout. */
  isTimeout(error: unknown): boolean;
  dispose(): void;
}

export interface Contender {
  name: "ours" | "opossum";
  create(config: SpecConfig): BreakerUnderTest;
}

const defaults = {
  minimumCalls: 4,
  failureRate: 0.5,
  // Generous: a loaded machine must not turn a healthy call into a timeout.
  // The tests about timeouts set their own, with a dependency far slower.
  timeoutMs: 2000,
  openMs: 100,
  windowMs: 60_000,
} satisfies Omit<Required<SpecConfig>, "url" | "fallback">;

// Ours gets a hand-driven clock: the window and `openMs` move only when a
// test says so, so `coolDown` is instant. The timeout stays on real time.
export const ours: Contender = {
  name: "ours",
  create(config) {
    const { minimumCalls, failureRate, timeoutMs, openMs, windowMs } = { ...defaults, ...config };
    let clock = 0;
    const breaker = new CircuitBreaker<Price>({
      name: "prices",
      minimumCalls,
      failureRate,
      timeoutMs,
      openMs,
      windowMs,
      now: () => clock,
      ...(config.fallback ? { fallback: config.fallback } : {}),
    });
    return {
      call: (sku = "sku-1") => breaker.execute((signal) => getPrice(config.url, sku, signal)),
      state: () => breaker.state.kind,
      coolDown: async () => {
        if (breaker.state.kind !== "open") throw new Error(`coolDown() needs an open breaker`);
        clock += openMs;
      },
      forgetWindow: async () => {
        clock += windowMs;
      },
      isRejection: (error) => error instanceof BreakerRejectedError,
      isTimeout: (error) => error instanceof CallTimeoutError,
      dispose: () => {},
    };
  },
};

// opossum runs on real time, so `coolDown` waits for its `halfOpen` event and
// `forgetWindow` for a snapshot with nothing left in its buckets. Its own
// `abortController` option is one controller for the whole breaker, so we pass
// each call a controller of its own and abort it when that call fails.
export const opossum: Contender = {
  name: "opossum",
  create(config) {
    const { minimumCalls, failureRate, timeoutMs, openMs, windowMs } = { ...defaults, ...config };
    const breaker = new OpossumBreaker(
      (controller: AbortController, sku: string) => getPrice(config.url, sku, controller.signal),
      {
        name: "prices",
        volumeThreshold: minimumCalls,
        errorThresholdPercentage: failureRate * 100,
        timeout: timeoutMs,
        resetTimeout: openMs,
        rollingCountTimeout: windowMs,
        rollingCountBuckets: 10,
        allowWarmUp: false,
      },
    );
    breaker.on("failure", (_error, _latency, [controller]) => controller.abort());
    if (config.fallback) {
      const fallback = config.fallback;
      breaker.fallback((_controller: AbortController, _sku: string, error: Error) =>
        fallback(error),
      );
    }
    const code = (error: unknown) =>
      error instanceof Error && OpossumBreaker.isOurError(error)
        ? (error as Error & { code?: string }).code
        : undefined;
    return {
      call: (sku = "sku-1") => breaker.fire(new AbortController(), sku),
      state: () => (breaker.opened ? "open" : breaker.halfOpen ? "half-open" : "closed"),
      coolDown: async () => {
        if (breaker.halfOpen) return;
        if (!breaker.opened) throw new Error(`coolDown() needs an open breaker`);
        await new Promise<void>((resolve) => breaker.once("halfOpen", () => resolve()));
      },
      forgetWindow: () =>
        new Promise((resolve) => {
          const check = (snapshot: OpossumBreaker.Stats) => {
            if (snapshot.fires > 0) return;
            breaker.status.off("snapshot", check);
            resolve();
          };
          breaker.status.on("snapshot", check);
        }),
      isRejection: (error) => code(error) === "EOPENBREAKER",
      isTimeout: (error) => code(error) === "ETIMEDOUT",
      dispose: () => breaker.shutdown(),
    };
  },
};

export const contenders: Contender[] = [ours, opossum];

/** Runs `calls` calls one after another and returns each one's outcome. */
export async function callInTurn(
  breaker: BreakerUnderTest,
  calls: number,
): Promise<PromiseSettledResult<Price>[]> {
  const outcomes: PromiseSettledResult<Price>[] = [];
  for (let i = 0; i < calls; i++) {
    outcomes.push(
      await breaker.call().then(
        (value) => ({ status: "fulfilled", value }) as const,
        (reason: unknown) => ({ status: "rejected", reason }) as const,
      ),
    );
  }
  return outcomes;
}
