import { defineDemo } from "@playground/kit";
import {
  allAtOnce,
  everyOutcome,
  firstSuccess,
  getText,
  oneAfterAnother,
  textOr,
  whoRunsFirst,
} from "./async-await.js";
import { cancelFetch, getTextWithin } from "./cancel.js";
import { startSlowServer } from "./slow-server.js";
import { runUnhandledRejection } from "./unhandled.js";

const round = (n: number) => Math.round(n * 10) / 10;

export default defineDemo({
  title: "async/await",
  services: [],
  async run(ctx) {
    ctx.say("await pauses one function, not the thread. Who runs first?");
    const order = await whoRunsFirst();
    for (const [i, step] of order.entries()) ctx.event("order", `${i + 1}. ${step}`);

    const server = await startSlowServer();
    ctx.defer(() => server.close());
    await getText(`${server.origin}/slow?ms=1`); // load fetch before we time anything

    // Eight independent calls, awaited in a loop and then together.
    // Fast mode keeps the full 100 ms: the waits are what we measure.
    const ms = 100;
    const urls = Array.from({ length: 8 }, (_, i) => `${server.origin}/slow?ms=${ms}&n=${i}`);
    ctx.say(`8 requests to a server that answers after ${ms} ms: one by one, then Promise.all.`);
    let start = performance.now();
    await oneAfterAnother(urls);
    const inTurnMs = performance.now() - start;
    ctx.event("loop", `for … of with await: ${round(inTurnMs)} ms`);
    start = performance.now();
    await allAtOnce(urls);
    const togetherMs = performance.now() - start;
    ctx.event("all", `Promise.all: ${round(togetherMs)} ms`);
    ctx.metric("one by one / Promise.all", round(inTurnMs / togetherMs), "x");

    ctx.say("A failing request inside try/catch, then one that nobody handles.");
    const fallback = await textOr(`${server.origin}/fail`, "fallback");
    ctx.event("try/catch", `caught the 500, returned "${fallback}"`);
    const end = await runUnhandledRejection();
    const firstLine = end.stderr.split("\n").find((line) => line.startsWith("Error")) ?? "";
    ctx.event("child process", `exited with code ${end.code}`, firstLine);
    ctx.metric("exit code after an unhandled rejection", end.code, "");

    ctx.say("Three combinators over the same mix of success and failure.");
    const mixed = [`${server.origin}/fail`, `${server.origin}/slow?ms=10`];
    const settled = await everyOutcome(mixed);
    ctx.event("allSettled", settled.map((s) => s.status).join(", "));
    const any = await firstSuccess(mixed);
    ctx.event("any", `resolved with "${any}"`);
    const none = await firstSuccess([`${server.origin}/fail`, `${server.origin}/fail`]).catch(
      (e: unknown) => e,
    );
    const aggregate = none instanceof AggregateError;
    ctx.event(
      "any",
      `all failed: ${(none as Error).name} with ${(none as AggregateError).errors?.length} reasons`,
    );

    // Promise.all gives up at the first rejection, but nothing is cancelled.
    const servedBefore = server.served;
    const slowAndFail = [`${server.origin}/slow?ms=1000`, `${server.origin}/fail`];
    const all = await allAtOnce(slowAndFail).catch((e: unknown) => e);
    const answeredAtRejection = server.served - servedBefore;
    await server.servedAtLeast(servedBefore + 2);
    const abandonedByAll = server.abandoned;
    ctx.event("all", `rejected with ${(all as Error).name} after ${answeredAtRejection} answer`);
    ctx.event("server", "answered the slow request anyway: Promise.all cancels nothing");

    ctx.say("Cancelling: an AbortController stops a request the server is still working on.");
    const arrived = server.nextRequest();
    const abandoned = server.nextAbandoned();
    const cancelled = await cancelFetch(`${server.origin}/slow?ms=60000`, arrived);
    await abandoned;
    ctx.event("fetch", `rejected with ${cancelled.name} after ${round(cancelled.afterMs)} ms`);
    ctx.event("server", "saw its client leave and stopped the work");
    const deadline = await getTextWithin(`${server.origin}/slow?ms=60000`, 50).catch(
      (e: unknown) => e,
    );
    ctx.event("fetch", `AbortSignal.timeout(50) rejected with ${(deadline as Error).name}`);

    ctx.table([
      { measured: "8 × request, awaited one by one", value: `${round(inTurnMs)} ms` },
      { measured: "8 × request, Promise.all", value: `${round(togetherMs)} ms` },
      { measured: "unhandled rejection: exit code", value: end.code },
      { measured: "Promise.allSettled", value: settled.map((s) => s.status).join(", ") },
      { measured: "Promise.any, all rejected", value: (none as Error).name },
      { measured: "aborted fetch", value: cancelled.name },
    ]);

    ctx.claim(
      "the caller carries on while an async function awaits",
      order[1] === "caller carries on",
    );
    ctx.claim("independent awaits in a loop take over 2x Promise.all", inTurnMs / togetherMs > 2);
    ctx.claim("try/catch around await catches a rejection", fallback === "fallback");
    ctx.claim(
      "an unhandled rejection ends the process with code 1",
      end.code === 1 && firstLine.includes("the database said no"),
    );
    ctx.claim(
      "allSettled reports every outcome; any resolves with the first success",
      settled.map((s) => s.status).join() === "rejected,fulfilled" && any === "slept 10 ms",
    );
    ctx.claim("Promise.any rejects with an AggregateError when all fail", aggregate);
    ctx.claim(
      "Promise.all rejects at the first failure and cancels nothing",
      answeredAtRejection === 1 && abandonedByAll === 0,
    );
    ctx.claim("an aborted fetch rejects with AbortError", cancelled.name === "AbortError");
  },
});
