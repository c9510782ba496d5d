import { defineDemo } from "@playground/kit";
import { Client, H2CClient } from "undici";
import { rawH2cGet, rawHttp1Get } from "./frames.js";
import { BROWSER_HEADERS, measureRequestBytes } from "./hpack.js";
import { label, loadPage, type Strategy, sequential, slowThenFast } from "./http1-vs-http2.js";
import { startH2cServer, startHttp1Server, startTlsServer } from "./servers.js";
import { selfSignedCert } from "./tls-cert.js";

const RESOURCES = 100;
const HEADER_REQUESTS = 50;

const round = (value: number, digits = 1) => Number(value.toFixed(digits));

export default defineDemo({
  title: "HTTP/1.1 vs HTTP/2",
  services: [],
  async run(ctx) {
    ctx.say(
      "Two servers on 127.0.0.1 with the same handler: node:http speaks HTTP/1.1, node:http2 " +
        "speaks HTTP/2 in cleartext (h2c). The client is undici.",
    );
    const h1 = await startHttp1Server();
    ctx.defer(() => h1.close());
    const h2 = await startH2cServer();
    ctx.defer(() => h2.close());

    // The list says HTTP/1.1 opens a connection per request. We count the
    // TCP connections the server accepts for 100 requests in a row.
    ctx.say("100 HTTP/1.1 requests in a row: with keep-alive, then each with Connection: close.");
    const keepAlive = new Client(h1.origin);
    ctx.defer(() => keepAlive.destroy());
    await sequential(keepAlive, 100);
    const keepAliveConnections = h1.counts.connections;
    ctx.event(
      "server",
      `${h1.counts.requests} requests on ${keepAliveConnections} connection`,
      "keep-alive, undici's default",
    );
    h1.reset();
    const closing = new Client(h1.origin);
    ctx.defer(() => closing.destroy());
    await sequential(closing, 100, { connection: "close" });
    const closeConnections = h1.counts.connections;
    ctx.event(
      "server",
      `${h1.counts.requests} requests on ${closeConnections} connections`,
      "each said Connection: close",
    );
    await ctx.sleep(500);

    // Head-of-line blocking: a slow response first, fast ones behind it.
    // HTTP/1.1's fast request waits however short the slow one is. HTTP/2's
    // slow stream gets a full second even in fast mode: 100 streams cost
    // this process real CPU, and the fast ones must visibly beat it.
    const slowMs = ctx.fast ? 300 : 1_000;
    const slowH2Ms = 1_000;
    ctx.say(`One request the server answers late, then fast ones behind it.`);
    h1.reset();
    const pipelined = new Client(h1.origin, { pipelining: 10 });
    ctx.defer(() => pipelined.destroy());
    const blocked = await slowThenFast(pipelined, slowMs, 1, ctx.signal);
    ctx.event(
      "HTTP/1.1",
      `fast response after ${round(blocked.lastFastMs)} ms`,
      `stuck behind the slow one (${round(blocked.slow.endedMs)} ms), on 1 connection, pipelined`,
    );
    h2.reset();
    const multiplexed = new H2CClient(h2.origin, { pipelining: 100 });
    ctx.defer(() => multiplexed.destroy());
    const free = await slowThenFast(multiplexed, slowH2Ms, 99, ctx.signal);
    ctx.event(
      "HTTP/2",
      `99 fast responses done by ${round(free.lastFastMs)} ms`,
      `the slow one ended at ${round(free.slow.endedMs)} ms; ` +
        `${h2.counts.sessions} session, ${h2.counts.streams} streams`,
    );
    await ctx.sleep(500);

    // The comparison: a page of 100 resources, each slow at the server.
    // 50 ms even in fast mode: shorter, and the CPU cost of 100 HTTP/2
    // streams would weigh as much as the waiting we compare.
    const delayMs = 50;
    ctx.say(`A page of ${RESOURCES} resources, each ${delayMs} ms at the server, three ways.`);
    const strategies: { strategy: Strategy; origin: string }[] = [
      { strategy: { protocol: "HTTP/1.1", connections: 1 }, origin: h1.origin },
      { strategy: { protocol: "HTTP/1.1", connections: 6 }, origin: h1.origin },
      { strategy: { protocol: "HTTP/2" }, origin: h2.origin },
    ];
    const loads: { name: string; ms: number; connections: number }[] = [];
    for (const { strategy, origin } of strategies) {
      h1.reset();
      h2.reset();
      const ms = await loadPage(origin, strategy, RESOURCES, delayMs, { signal: ctx.signal });
      const connections = h1.counts.connections + h2.counts.connections;
      loads.push({ name: label(strategy), ms, connections });
      ctx.event("client", `${label(strategy)}: ${round(ms)} ms`, `${connections} connection(s)`);
    }
    const [h1x1, h1x6, h2x1] = loads.map((l) => l.ms) as [number, number, number];
    ctx.metric("HTTP/1.1 ×1 / HTTP/2 ×1", round(h1x1 / h2x1), "x");
    ctx.metric("HTTP/1.1 ×6 / HTTP/2 ×1", round(h1x6 / h2x1), "x");
    await ctx.sleep(500);

    // Header compression: count the bytes through the kit's proxy.
    ctx.say(
      `${HEADER_REQUESTS} requests with the same 800 bytes of browser headers, bytes counted by a proxy.`,
    );
    const bytes1 = await measureRequestBytes(
      h1,
      { protocol: "HTTP/1.1", connections: 1 },
      BROWSER_HEADERS,
      HEADER_REQUESTS,
    );
    const bytes2 = await measureRequestBytes(
      h2,
      { protocol: "HTTP/2" },
      BROWSER_HEADERS,
      HEADER_REQUESTS,
    );
    ctx.event(
      "HTTP/1.1",
      `${bytes1.total} bytes up`,
      `${bytes1.first} for the first request, ${round(bytes1.perLaterRequest)} for each later one`,
    );
    ctx.event(
      "HTTP/2",
      `${bytes2.total} bytes up`,
      `${bytes2.first} for the first request (with the preface), ${round(bytes2.perLaterRequest)} for each later one`,
    );
    ctx.metric("request bytes, HTTP/1.1 / HTTP/2", round(bytes1.total / bytes2.total), "x");
    await ctx.sleep(500);

    // Binary framing, seen raw.
    ctx.say("GET /hello by hand over a raw socket: HTTP/1.1 is text, HTTP/2 is frames.");
    const text = await rawHttp1Get(h1.port, "/hello");
    ctx.event("HTTP/1.1", `response starts ${JSON.stringify(text.response.split("\r\n")[0])}`);
    const raw = await rawH2cGet(h2.port, "/hello");
    for (const f of raw.frames) {
      ctx.event(
        "HTTP/2",
        `${f.type} frame, stream ${f.streamId}`,
        `9-byte header + ${f.payload.length} bytes, flags 0x${f.flags.toString(16)}`,
      );
    }

    // Over TLS, as browsers require: ALPN lets one port serve both.
    const cert = selfSignedCert();
    const tls = await startTlsServer(cert);
    ctx.defer(() => tls.close());
    const alpnH2 = new Client(tls.origin, { allowH2: true, connect: { ca: cert.cert } });
    ctx.defer(() => alpnH2.destroy());
    const alpnH1 = new Client(tls.origin, { connect: { ca: cert.cert } });
    ctx.defer(() => alpnH1.destroy());
    const overH2 = await (await alpnH2.request({ path: "/tls", method: "GET" })).body.text();
    const overH1 = await (await alpnH1.request({ path: "/tls", method: "GET" })).body.text();
    ctx.event("TLS server", `a client offering h2 got "${overH2}"`, "ALPN");
    ctx.event("TLS server", `a client offering only http/1.1 got "${overH1}"`, "same port");

    const ms = (value: number) => `${round(value)} ms`;
    ctx.table([
      {
        measured: `page of ${RESOURCES} × ${delayMs} ms, 1 connection`,
        "HTTP/1.1": ms(h1x1),
        "HTTP/2": ms(h2x1),
      },
      { measured: `the same, 6 connections`, "HTTP/1.1": ms(h1x6), "HTTP/2": "" },
      {
        measured: "a fast response behind a slow one",
        "HTTP/1.1": ms(blocked.lastFastMs),
        "HTTP/2": ms(free.lastFastMs),
      },
      {
        measured: "connections for 100 requests in a row",
        "HTTP/1.1": `${keepAliveConnections} (keep-alive), ${closeConnections} (Connection: close)`,
        "HTTP/2": loads[2]!.connections,
      },
      {
        measured: `request bytes for ${HEADER_REQUESTS} requests`,
        "HTTP/1.1": bytes1.total,
        "HTTP/2": bytes2.total,
      },
      { measured: "on the wire", "HTTP/1.1": "lines of text", "HTTP/2": "binary frames" },
    ]);

    ctx.claim(
      "HTTP/1.1 reuses one connection for 100 requests; only Connection: close opens one per request",
      keepAliveConnections === 1 && closeConnections === 100,
    );
    ctx.claim(
      "on one HTTP/1.1 connection the fast response waited for the slow one",
      blocked.lastFastMs >= blocked.slow.endedMs,
    );
    ctx.claim(
      "on one HTTP/2 connection 100 streams ran at once and every fast one finished before the slow one",
      free.lastFastMs < free.slow.endedMs,
    );
    ctx.claim(
      "HTTP/1.1 ×1 was several times slower than HTTP/2 ×1; HTTP/1.1 ×6 landed in between",
      h1x1 / h2x1 > 2 && h1x1 > h1x6 && h1x6 > h2x1,
    );
    ctx.claim(
      "HPACK sent the repeated headers in a fraction of the bytes",
      bytes2.total * 10 < bytes1.total,
    );
    ctx.claim(
      "HTTP/2 answered in frames: SETTINGS, HEADERS, DATA",
      ["SETTINGS", "HEADERS", "DATA"].every((type) => raw.frames.some((f) => f.type === type)) &&
        text.response.startsWith("HTTP/1.1 200 OK\r\n"),
    );
    ctx.claim(
      "over TLS, ALPN chose HTTP/2 for the client that offered it, HTTP/1.1 for the other",
      overH2.endsWith("HTTP/2.0") && overH1.endsWith("HTTP/1.1"),
    );
  },
});
