import { defineDemo, listen, type TableRow } from "@playground/kit";
import { createApp } from "./express-middleware.js";
import type { AccessLogEntry, Step } from "./middlewares.js";

const TOKEN = "demo-token";
const ORDER_CHAIN = ["requestId", "accessLog", "requireBearer", "json", "createOrder"];

const round = (ms: number) => Math.round(ms * 1000) / 1000;

export default defineDemo({
  title: "Express middleware",
  services: [],
  async run(ctx) {
    ctx.say(
      "An Express 5 app on 127.0.0.1: requestId → accessLog → /api router (requireBearer → json) → handler.",
    );

    // Every middleware is wrapped in `timed`, so each turn in the chain
    // becomes one event as it happens: who held the request, and for how long.
    let steps: Step[] = [];
    const log: AccessLogEntry[] = [];
    let logged = () => {};
    const { app, orders } = createApp({
      token: TOKEN,
      bodyLimit: "1kb",
      trace: (step) => {
        steps.push(step);
        const how = { next: "next()", error: "next(err)", responded: "responded" }[step.outcome];
        ctx.event(step.name, how, `${round(step.ms)} ms`);
      },
      log: (entry) => {
        log.push(entry);
        ctx.event(
          "log",
          `${entry.method} ${entry.path} → ${entry.status}`,
          `${round(entry.durationMs)} ms, id ${entry.requestId}`,
        );
        logged();
      },
    });
    const server = await listen(app);
    ctx.defer(() => server.close());

    // One helper sends a request and keeps what that request did to the chain.
    const rows: TableRow[] = [];
    async function send(label: string, path: string, init: RequestInit = {}) {
      steps = [];
      // `finish` fires as the last byte leaves; fetch can resolve a moment
      // earlier, so we wait for the access log line rather than guess.
      const written = new Promise<void>((resolve) => {
        logged = resolve;
      });
      ctx.say(label);
      const response = await fetch(`${server.url}${path}`, { ...init, signal: ctx.signal });
      await response.arrayBuffer();
      await written;
      const ran = steps.map((s) => s.name);
      rows.push({
        request: label,
        status: response.status,
        chain: ran.join(" → "),
        "total ms": round(log.at(-1)?.durationMs ?? 0),
      });
      await ctx.sleep(300);
      return { response, ran, taken: [...steps] };
    }

    const authorised = {
      Authorization: `Bearer ${TOKEN}`,
      "Content-Type": "application/json",
      "X-Request-Id": "demo-order-1",
    };

    // 1. The happy path walks the whole chain, in registration order.
    const first = await send("POST /api/orders with a token: the whole chain", "/api/orders", {
      method: "POST",
      headers: authorised,
      body: JSON.stringify({ item: "tea", quantity: 2 }),
    });
    for (const step of first.taken) ctx.metric(`${step.name} time`, round(step.ms), "ms");
    ctx.metric("whole request, as logged", round(log[0]?.durationMs ?? 0), "ms");

    // 2. No token: the auth middleware answers and the chain stops there.
    const ordersBefore = orders.length;
    const refused = await send(
      "POST /api/orders without a token: auth short-circuits",
      "/api/orders",
      {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ item: "tea", quantity: 1 }),
      },
    );

    // 3. A body over the 1 kB limit: the parser refuses it with 413.
    const oversized = await send(
      "POST /api/orders with a 4 kB body: the parser says 413",
      "/api/orders",
      {
        method: "POST",
        headers: authorised,
        body: JSON.stringify({ item: "x".repeat(4096), quantity: 1 }),
      },
    );

    // 4. A route outside the router never meets the router's middleware.
    const health = await send("GET /health: outside the /api router", "/health");

    ctx.table(rows);
    ctx.claim(
      "middleware ran in registration order",
      JSON.stringify(first.ran) === JSON.stringify(ORDER_CHAIN),
    );
    ctx.claim(
      "the request ID was echoed back and written in the log",
      first.response.headers.get("x-request-id") === "demo-order-1" &&
        log[0]?.requestId === "demo-order-1",
    );
    ctx.claim(
      "without a token, auth answered 401 and no later middleware or handler ran",
      refused.response.status === 401 &&
        refused.ran.at(-1) === "requireBearer" &&
        orders.length === ordersBefore,
    );
    ctx.claim(
      "a body over the limit got 413 and never reached the handler",
      oversized.response.status === 413 && !oversized.ran.includes("createOrder"),
    );
    ctx.claim(
      "router-level middleware did not run for /health",
      health.response.status === 200 && !health.ran.includes("requireBearer"),
    );
    ctx.claim(
      "the logger wrote one line per request, on finish, with its status",
      log.map((e) => e.status).join() === "201,401,413,200",
    );
  },
});
