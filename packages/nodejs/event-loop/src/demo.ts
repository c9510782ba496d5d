import { defineDemo } from "@playground/kit";
import { orderBetweenTwoImmediates, orderFromIoCallback, PHASES, starveIo } from "./event-loop.js";
import { measureBlockedLoop, oneThenMany } from "./non-blocking.js";
import { startSlowServer } from "./slow-server.js";
import { raceManyTimes } from "./timer-race.js";

const round = (n: number) => Math.round(n * 10) / 10;

export default defineDemo({
  title: "Event loop",
  services: [],
  async run(ctx) {
    ctx.say("One thread goes round libuv's six phases; each phase has its own queue.");
    ctx.table(PHASES.map((phase, i) => ({ "#": i + 1, phase: phase.name, runs: phase.runs })));

    // We start inside a real I/O callback, in the poll phase, and schedule
    // one callback of each kind. The order they report is fixed.
    ctx.say(
      "Inside a readFile callback we schedule a timeout 0, an immediate, a promise, a nextTick.",
    );
    const fromIo = await orderFromIoCallback();
    for (const [i, what] of fromIo.entries()) ctx.event("loop", `${i + 1}. ${what}`);

    // nextTick and promises are not a phase: they run after every callback.
    const between = await orderBetweenTwoImmediates();
    ctx.event("loop", "same check phase", between.join(" → "));

    // From the main module the timer-versus-immediate order is a race that
    // each fresh process may decide differently, so we count.
    const runs = ctx.fast ? 10 : 50;
    ctx.say(
      `From the main module it is a race: ${runs} fresh processes, each prints who ran first.`,
    );
    const race = await raceManyTimes(runs, {
      signal: ctx.signal,
      onRun: (outputs) => {
        if (outputs.length % 10 === 0) ctx.event("race", `${outputs.length} of ${runs} runs done`);
      },
    });
    ctx.event("race", `${race.timeoutFirst} timeout first, ${race.immediateFirst} immediate first`);
    ctx.metric("timeout-first runs", race.timeoutFirst, "runs");
    ctx.metric("immediate-first runs", race.immediateFirst, "runs");

    // A server that answers after a delay, and 100 requests to it at once.
    // Fast mode keeps the full 100 ms: shorter, and the cost of opening 100
    // connections would swamp the wait we want to show overlapping.
    const delayMs = 100;
    const slow = await startSlowServer(delayMs);
    ctx.defer(() => slow.close());
    ctx.say(`100 requests to a server that answers after ${delayMs} ms, all started together.`);
    const io = await oneThenMany(slow, 100);
    ctx.event("client", `1 request took ${round(io.singleMs)} ms`);
    ctx.event(
      "client",
      `100 requests took ${round(io.allMs)} ms`,
      `server held ${io.maxInFlight} at once`,
    );
    ctx.metric("100 requests / 1 request", round(io.ratio), "x");

    // Now the thread computes instead of waiting.
    const blockMs = ctx.fast ? 200 : 500;
    const quick = await startSlowServer(5);
    ctx.defer(() => quick.close());
    ctx.say(`A 10 ms timer and a 5 ms request, then ${blockMs} ms of CPU work on the one thread.`);
    const blocked = await measureBlockedLoop(quick, blockMs);
    ctx.event("timer", `10 ms timer fired after ${round(blocked.timerMs)} ms`);
    ctx.event("client", `5 ms request answered after ${round(blocked.requestMs)} ms`);
    ctx.metric("spin", round(blocked.blockedMs), "ms");
    ctx.metric("max event-loop delay", round(blocked.maxDelayMs), "ms");

    // Recursion: a nextTick that queues a nextTick never lets the loop move.
    ctx.say("Socket data is ready; meanwhile a callback reschedules itself 10000 times.");
    const tick = await starveIo("nextTick");
    const immediate = await starveIo("setImmediate");
    ctx.event("nextTick", `data read after ${tick.callbacksBeforeIo} of ${tick.limit} callbacks`);
    ctx.event("setImmediate", `data read after ${immediate.callbacksBeforeIo} callback(s)`);

    ctx.table([
      { measured: "order inside an I/O callback", value: fromIo.join(" → ") },
      {
        measured: "main-module race (timeout/immediate)",
        value: `${race.timeoutFirst}/${race.immediateFirst} of ${runs}`,
      },
      { measured: "100 concurrent waits vs one", value: `${round(io.ratio)}x` },
      {
        measured: `loop delay during a ${blockMs} ms spin`,
        value: `${round(blocked.maxDelayMs)} ms`,
      },
      {
        measured: "callbacks before I/O: nextTick / setImmediate",
        value: `${tick.callbacksBeforeIo} / ${immediate.callbacksBeforeIo}`,
      },
    ]);

    ctx.claim(
      "inside an I/O callback: nextTick, then promises, then setImmediate, then setTimeout 0",
      fromIo.join() === "nextTick,promise,setImmediate,setTimeout 0",
    );
    ctx.claim(
      "nextTick and promises run between two callbacks of the same phase",
      between.join() === "immediate 1,nextTick from 1,promise from 1,immediate 2",
    );
    ctx.claim(
      "from the main module every run printed one of the two orders",
      race.timeoutFirst + race.immediateFirst === runs,
    );
    ctx.claim("100 concurrent I/O waits take less than 10x one", io.ratio < 10);
    ctx.claim(
      "a CPU-bound spin delays a due timer until it ends",
      blocked.timerMs >= blocked.blockedMs,
    );
    ctx.claim(
      "a CPU-bound spin delays a request until it ends",
      blocked.requestMs >= blocked.blockedMs,
    );
    ctx.claim(
      "monitorEventLoopDelay sees most of the spin as loop delay",
      blocked.maxDelayMs >= blocked.blockedMs / 2,
    );
    ctx.claim("recursive nextTick starves I/O", tick.callbacksBeforeIo === tick.limit);
    ctx.claim("recursive setImmediate lets I/O in", immediate.callbacksBeforeIo < immediate.limit);
  },
});
