import { defineDemo } from "@playground/kit";
import { BROWSER_HEADERS, measureRequestBytes } from "./hpack.js";
import { type Connect, label, loadPage, type Strategy } from "./http1-vs-http2.js";
import {
  type ResourceServer,
  startH2cServer,
  startHttp1Server,
  startTlsServer,
} from "./servers.js";
import { selfSignedCert } from "./tls-cert.js";

const ROUNDS = 3;
const RESOURCES = 100;
const DELAY_MS = 50;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** `pnpm bench http1-vs-http2`: page-load wall time and header bytes, medians of three rounds. */
export default defineDemo({
  title: "HTTP/1.1 vs HTTP/2: page load and header bytes",
  services: [],
  async run(ctx) {
    ctx.say(
      `${RESOURCES} resources of ${DELAY_MS} ms each, fetched all at once; median of ${ROUNDS} ` +
        "rounds, in cleartext and over TLS.",
    );
    const cert = selfSignedCert();
    const h1 = await startHttp1Server();
    ctx.defer(() => h1.close());
    const h2c = await startH2cServer();
    ctx.defer(() => h2c.close());
    const tls = await startTlsServer(cert);
    ctx.defer(() => tls.close());
    const connect: Connect = { ca: cert.cert };

    const runs: { transport: string; strategy: Strategy; server: ResourceServer }[] = [];
    for (const connections of [1, 2, 6, 12]) {
      runs.push({
        transport: "cleartext",
        strategy: { protocol: "HTTP/1.1", connections },
        server: h1,
      });
    }
    runs.push({ transport: "cleartext", strategy: { protocol: "HTTP/2" }, server: h2c });
    for (const connections of [1, 6]) {
      runs.push({ transport: "TLS", strategy: { protocol: "HTTP/1.1", connections }, server: tls });
    }
    runs.push({ transport: "TLS", strategy: { protocol: "HTTP/2" }, server: tls });

    const rows = [];
    const h2Ms: Record<string, number> = {};
    const results: { transport: string; name: string; ms: number }[] = [];
    for (const { transport, strategy, server } of runs) {
      const times: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        times.push(
          await loadPage(server.origin, strategy, RESOURCES, DELAY_MS, {
            connect,
            signal: ctx.signal,
          }),
        );
        ctx.signal.throwIfAborted();
      }
      const ms = median(times);
      results.push({ transport, name: label(strategy), ms });
      if (strategy.protocol === "HTTP/2") h2Ms[transport] = ms;
      ctx.metric(`${transport} ${label(strategy)}`, Math.round(ms), "ms");
    }
    for (const { transport, name, ms } of results) {
      rows.push({
        transport,
        client: name,
        "median ms": Math.round(ms),
        "× HTTP/2": Number((ms / h2Ms[transport]!).toFixed(1)),
      });
    }
    ctx.table(rows);

    ctx.say(
      "Request bytes through the kit's proxy, the same 800 bytes of headers on every request.",
    );
    const bytes = [];
    for (const requests of [1, 10, 100]) {
      const http1 = await measureRequestBytes(
        h1,
        { protocol: "HTTP/1.1", connections: 1 },
        BROWSER_HEADERS,
        requests,
      );
      const http2 = await measureRequestBytes(
        h2c,
        { protocol: "HTTP/2" },
        BROWSER_HEADERS,
        requests,
      );
      bytes.push({
        requests,
        "HTTP/1.1 bytes": http1.total,
        "HTTP/2 bytes": http2.total,
        ratio: Number((http1.total / http2.total).toFixed(1)),
      });
    }
    ctx.table(bytes);
  },
});
