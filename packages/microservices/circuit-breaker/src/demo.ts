import { defineDemo } from "@playground/kit";
import { CircuitBreaker } from "./circuit-breaker.js";
import { CallTimeoutError } from "./errors.js";
import { FlakyService, type Price } from "./flaky-service.js";
import { getPrice } from "./price-client.js";

type Phase = "healthy" | "slow" | "open" | "probing" | "healed";
type Tally = Record<
  "calls" | "successes" | "failures" | "timeouts" | "rejected" | "fallbacks" | "hits",
  number
>;

const OPEN_MS = 3_000;
const MINIMUM_CALLS = 5;
const FAILURE_RATE = 0.5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));

const newTally = (): Tally => ({
  calls: 0,
  successes: 0,
  failures: 0,
  timeouts: 0,
  rejected: 0,
  fallbacks: 0,
  hits: 0,
});

export default defineDemo({
  title: "Circuit breaker",
  services: [],
  async run(ctx) {
    // The dependency is a real HTTP server on 127.0.0.1, and every call
    // below is a real request to it. `ctx.sleep` waits a tenth as long in
    // fast mode, so `openMs` shrinks with it and the story stays the same.
    const prices = await FlakyService.start();
    ctx.defer(() => prices.close());
    // The timeout stays 300 ms even in fast mode: a loaded machine must not
    // turn a healthy probe into a slow one.
    const timeoutMs = 300;
    const openMs = ctx.fast ? OPEN_MS / 10 : OPEN_MS;
    const lastKnownPrice: Price = { sku: "sku-1", price: 40 };
    const breaker = new CircuitBreaker<Price>({
      name: "prices",
      failureRate: FAILURE_RATE,
      minimumCalls: MINIMUM_CALLS,
      windowMs: 10_000,
      timeoutMs,
      openMs,
      halfOpenProbes: 1,
      fallback: () => lastKnownPrice,
    });

    // We count per phase from the breaker's own events, and the requests
    // from the dependency's side, so the closing table shows what each
    // side saw.
    const tallies = new Map<Phase, Tally>();
    let tally = newTally();
    const enter = (phase: Phase) => {
      tally = newTally();
      tallies.set(phase, tally);
    };
    let hitsAtStart = prices.hits;
    const countHits = () => {
      tally.hits += prices.hits - hitsAtStart;
      hitsAtStart = prices.hits;
    };
    const transitions: string[] = [];
    breaker.on("state", ({ from, to }) => {
      transitions.push(`${from}→${to}`);
      ctx.state("breaker", from, to);
    });
    breaker.on("success", () => tally.successes++);
    breaker.on("failure", ({ error }) => {
      tally.failures++;
      if (error instanceof CallTimeoutError) tally.timeouts++;
    });
    breaker.on("rejected", () => tally.rejected++);
    breaker.on("fallback", () => tally.fallbacks++);

    const call = async (): Promise<number> => {
      const start = performance.now();
      tally.calls++;
      await breaker.execute((signal) => getPrice(prices.url, "sku-1", signal));
      return performance.now() - start;
    };
    const windowText = ({ calls, failures }: { calls: number; failures: number }) =>
      `window: ${failures} of ${calls} calls failed (${calls ? Math.round((failures / calls) * 100) : 0}%)`;

    enter("healthy");
    ctx.say(
      `prices answers in a few ms. The breaker opens when at least ${FAILURE_RATE * 100}% of the ` +
        `calls in its window failed, once it holds ${MINIMUM_CALLS}; it times calls out at ` +
        `${timeoutMs} ms and probes after ${openMs} ms, one call at a time.`,
    );
    for (let i = 0; i < 5; i++) {
      const ms = await call();
      ctx.event(
        "client",
        "GET /price/sku-1 → 200",
        `${ms.toFixed(1)} ms · ${windowText(breaker.recent)}`,
      );
      await ctx.sleep(150);
    }
    countHits();

    // A slow dependency is the dangerous one: every caller waits the full
    // timeout. Each timed-out call counts as a failure, and after each one
    // the breaker judges the failure rate over its window, not a count.
    enter("slow");
    const slowMs = timeoutMs * 10;
    prices.slow(slowMs);
    ctx.event("prices", "turns slow", `answers after ${slowMs} ms, past the timeout`);
    const isOpen = () => breaker.state.kind === "open";
    const closedLatencies: number[] = [];
    let stayedClosedBelowRate = false;
    let openedWith: { calls: number; failures: number } | undefined;
    while (breaker.state.kind === "closed" && tally.calls < 10) {
      const before = breaker.recent;
      const ms = await call();
      closedLatencies.push(ms);
      const seen = isOpen()
        ? { calls: before.calls + 1, failures: before.failures + 1 }
        : breaker.recent;
      if (isOpen()) openedWith = seen;
      else if (seen.calls >= MINIMUM_CALLS && seen.failures > 0) stayedClosedBelowRate = true;
      ctx.event("client", `timed out after ${ms.toFixed(0)} ms, fallback served`, windowText(seen));
    }
    countHits();
    const openedOnRate =
      stayedClosedBelowRate &&
      openedWith !== undefined &&
      openedWith.calls >= MINIMUM_CALLS &&
      openedWith.failures / openedWith.calls >= FAILURE_RATE;

    // Open, the breaker answers by itself: no socket, no waiting. We
    // time the same call while open and compare it with the timed-out
    // calls above; the dependency's request counter must not move.
    enter("open");
    ctx.say(
      `Open: for ${openMs} ms every call gets the fallback at once, and prices gets no traffic.`,
    );
    const hitsWhenOpened = prices.hits;
    const openLatencies: number[] = [];
    for (let i = 0; i < 20; i++) {
      openLatencies.push(await call());
      await ctx.sleep(20);
    }
    countHits();
    const closedMedian = median(closedLatencies);
    const openMedian = median(openLatencies);
    const speedUp = closedMedian / openMedian;
    const untouched = prices.hits === hitsWhenOpened && tally.rejected === 20;
    ctx.event(
      "client",
      "20 calls rejected by the breaker, fallback served",
      `prices received ${prices.hits - hitsWhenOpened} of them`,
    );
    ctx.metric("median latency while closed (timed out)", round(closedMedian, 1), "ms");
    ctx.metric("median latency while open (failed fast)", round(openMedian, 3), "ms");
    ctx.metric("fail-fast speed-up", Math.round(speedUp), "x");

    // After `openMs` the breaker lets one call through as a probe. The
    // dependency restarts but fails its first request, so that probe
    // fails and the circuit opens again; the calls that arrived with it
    // are turned away rather than piled onto a service still recovering.
    enter("probing");
    prices.recovering(1);
    ctx.event("prices", "restarts", "fails its next request, then heals");
    ctx.say(
      `After ${openMs} ms the next call becomes the probe; calls that arrive with it are still turned away.`,
    );
    const probeHits: number[] = [];
    for (let attempt = 1; attempt <= 2; attempt++) {
      await ctx.sleep(OPEN_MS + 100);
      const hitsBefore = prices.hits;
      const rejectedBefore = tally.rejected;
      await Promise.all(Array.from({ length: 5 }, () => call()));
      probeHits.push(prices.hits - hitsBefore);
      ctx.event(
        "client",
        `5 calls at once: ${prices.hits - hitsBefore} let through as the probe, ` +
          `${tally.rejected - rejectedBefore} rejected`,
        breaker.state.kind === "closed" ? "the probe succeeded" : "the probe failed: 500",
      );
    }
    countHits();

    enter("healed");
    for (let i = 0; i < 5; i++) {
      const ms = await call();
      ctx.event(
        "client",
        "GET /price/sku-1 → 200",
        `${ms.toFixed(1)} ms · ${windowText(breaker.recent)}`,
      );
      await ctx.sleep(100);
    }
    countHits();

    const phases = [...tallies.entries()];
    const total = phases.reduce<Tally>((sum, [, t]) => {
      for (const key of Object.keys(sum) as (keyof Tally)[]) sum[key] += t[key];
      return sum;
    }, newTally());
    ctx.table(
      [...phases, ["total", total] as const].map(([name, t]) => ({
        phase: name,
        calls: t.calls,
        successes: t.successes,
        failures: t.failures,
        "rejected fast": t.rejected,
        fallbacks: t.fallbacks,
        "prices hits": t.hits,
      })),
    );

    ctx.claim(
      `the breaker opened on the failure rate in its window (≥ ${FAILURE_RATE * 100}% of ≥ ${MINIMUM_CALLS} calls), not on the first failures`,
      openedOnRate,
    );
    ctx.claim(
      "while open, calls failed fast without reaching the dependency",
      untouched && speedUp > 10,
    );
    ctx.claim(
      "a slow call was cut off at the timeout, and the dependency saw its client give up",
      total.timeouts > 0 && closedMedian < slowMs / 2 && prices.abandoned > 0,
    );
    ctx.claim(
      "half-open let exactly one probe through at a time; the others were rejected",
      probeHits.length === 2 && probeHits.every((hits) => hits === 1),
    );
    ctx.claim(
      "a failed probe reopened the circuit, a successful one closed it",
      transitions.join(" ") ===
        "closed→open open→half-open half-open→open open→half-open half-open→closed",
    );
    ctx.claim(
      "every rejected or failed call was served the fallback",
      total.fallbacks === total.rejected + total.failures,
    );
  },
});
