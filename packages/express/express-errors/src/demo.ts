import { defineDemo, listen, type TableRow } from "@playground/kit";
import { runAsyncRoute } from "./async-route.js";
import { createApp } from "./express-errors.js";

const round = (ms: number) => Math.round(ms * 10) / 10;

export default defineDemo({
  title: "Express error handling",
  services: [],
  async run(ctx) {
    ctx.say("An orders API on Express 5, env=production, with one problem+json error handler.");

    // Express's default handler writes to `console.error`. We route that into
    // the narration for the length of the demo, so we can see what it logs.
    const consoleError = console.error;
    let defaultHandlerLogged = () => {};
    const defaultHandlerLog = new Promise<void>((resolve) => {
      defaultHandlerLogged = resolve;
    });
    console.error = (first: unknown) => {
      ctx.event("express default handler", "logged", String(first));
      defaultHandlerLogged();
    };
    ctx.defer(() => {
      console.error = consoleError;
    });

    const appLog: Error[] = [];
    const app = createApp({
      env: "production",
      log: (error) => {
        const e = error as Error;
        appLog.push(e);
        const frames = (e.stack ?? "").split("\n").filter((l) => l.trim().startsWith("at ")).length;
        ctx.event("app log", `${e.name}: ${e.message}`, `${frames} stack frames, kept server-side`);
      },
    });
    const server = await listen(app);
    ctx.defer(() => server.close());

    // Each request fails in a different way; all but the last should come
    // back as a problem+json body from our one four-argument handler.
    const rows: TableRow[] = [];
    const cases = [
      { how: "sync throw", method: "GET", path: "/orders/999" },
      { how: "async rejection", method: "POST", path: "/orders", body: '{"item":"","quantity":0}' },
      { how: "next(err) from a callback", method: "POST", path: "/orders/1/cancel" },
      { how: "a bug (TypeError)", method: "GET", path: "/reports/daily" },
      { how: "no route matched", method: "DELETE", path: "/no/such/thing" },
      { how: "malformed JSON", method: "POST", path: "/orders", body: '{"item": "tea",' },
    ];
    const answers: { status: number; type: string; body: Record<string, unknown> }[] = [];
    for (const c of cases) {
      const response = await fetch(`${server.url}${c.path}`, {
        method: c.method,
        signal: ctx.signal,
        ...(c.body ? { body: c.body, headers: { "Content-Type": "application/json" } } : {}),
      });
      const body = (await response.json()) as Record<string, unknown>;
      const type = response.headers.get("content-type") ?? "";
      answers.push({ status: response.status, type, body });
      ctx.event(
        "client",
        `${c.method} ${c.path} → ${response.status}`,
        `${body.title}: ${body.detail ?? "(no detail)"}`,
      );
      rows.push({
        failure: c.how,
        request: `${c.method} ${c.path}`,
        status: response.status,
        body: String(body.type),
      });
      await ctx.sleep(200);
    }

    // A failure after the 200 and the first rows are on the wire: our
    // handler passes it on, and Express's default handler cuts the connection.
    ctx.say("GET /orders.csv fails halfway through the body.");
    const csv = await fetch(`${server.url}/orders.csv`, { signal: ctx.signal });
    const received = await readUntilCut(csv.body!);
    await defaultHandlerLog;
    ctx.event(
      "client",
      `GET /orders.csv → ${csv.status}`,
      received.cut ? `cut off after ${received.bytes} bytes` : "complete",
    );
    ctx.metric("bytes received before the cut", received.bytes, "B");
    rows.push({
      failure: "throw after headers sent",
      request: "GET /orders.csv",
      status: csv.status,
      body: received.cut ? "truncated" : "complete",
    });
    await ctx.sleep(200);

    // The same `async` route that rejects, in Express 5 and in Express 4,
    // each in a child process so Express 4's unhandled rejection stays there.
    ctx.say("The same rejecting async route on Express 5 and on Express 4:");
    // Express 5 answers as soon as it can, so its client may wait long; the
    // Express 4 client's timeout is how long we are willing to watch it hang.
    // Long enough for the child process to boot and reach the route, even on
    // a loaded machine, so the hang we watch is the route's, not the boot's.
    const hangMs = 1500;
    const [five, four] = await Promise.all([
      runAsyncRoute("express", 10_000, ctx.signal),
      runAsyncRoute("express4", hangMs, ctx.signal),
    ]);
    for (const outcome of [five, four]) {
      ctx.event(
        `express ${outcome.version}`,
        outcome.answered
          ? `answered ${outcome.status} from the error handler`
          : `never answered; client gave up after ${round(outcome.waitedMs)} ms`,
        `error handler calls: ${outcome.errorHandlerCalls}, unhandled rejections: ${outcome.unhandled.length}`,
      );
    }
    ctx.metric("express 5: async rejection answered in", round(five.waitedMs), "ms");
    ctx.metric("express 4: client waited, then gave up, after", round(four.waitedMs), "ms");
    rows.push({
      failure: "async rejection on Express 4",
      request: "GET /async",
      status: four.answered ? String(four.status) : "none",
      body: "hangs",
    });

    ctx.table(rows);
    const [sync, rejected, nextErr, bug, unmatched] = answers;
    const problem = (a: (typeof answers)[number] | undefined, status: number) =>
      a?.status === status && a.type.startsWith("application/problem+json");
    ctx.claim(
      "a sync throw, an async rejection and next(err) all reached the one error handler",
      problem(sync, 404) && problem(rejected, 422) && problem(nextErr, 409),
    );
    ctx.claim("an unmatched route got a 404 problem body too", problem(unmatched, 404));
    ctx.claim(
      "in production the 500 carried neither the message nor the stack; the stack went to our log",
      problem(bug, 500) &&
        bug?.body.detail === undefined &&
        bug?.body.stack === undefined &&
        appLog.length === 1,
    );
    ctx.claim(
      "an error after the headers were sent left the client a 200 with a truncated body",
      csv.status === 200 && received.cut,
    );
    ctx.claim(
      "Express 5 caught the async rejection; Express 4 left the request hanging and the rejection unhandled",
      five.answered &&
        five.errorHandlerCalls === 1 &&
        !four.answered &&
        four.unhandled.length === 1,
    );
  },
});

async function readUntilCut(
  body: ReadableStream<Uint8Array>,
): Promise<{ bytes: number; cut: boolean }> {
  const reader = body.getReader();
  let bytes = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { bytes, cut: false };
      bytes += value.byteLength;
    }
  } catch {
    return { bytes, cut: true };
  }
}
