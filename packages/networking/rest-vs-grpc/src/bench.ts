import { defineDemo } from "@playground/kit";
import { Catalog } from "./catalog.js";
import { type ContenderName, startContenders } from "./contenders.js";
import { runLoad } from "./load.js";

const CONTENDERS: ContenderName[] = [
  "REST/1.1 express+fetch",
  "REST/1.1 node:http",
  "REST/2 h2c",
  "gRPC",
];
const round = (value: number, digits = 2) => Number(value.toFixed(digits));

// `pnpm bench rest-vs-grpc`: latency and throughput of the same two calls
// through four stacks, with no proxy in the way. "REST/1.1 node:http" runs
// the very routes "REST/2 h2c" runs, so those two differ only in protocol;
// express+fetch against node:http is the cost of the framework and client.
// Client and server share one process and this machine's cores, so read
// the numbers as a comparison made in one run, not as capacity.
export default defineDemo({
  title: "REST vs gRPC: latency and throughput",
  services: [],
  async run(ctx) {
    const catalog = new Catalog();
    const rows = [];
    for (const concurrency of [1, 16, 64]) {
      const contenders = await startContenders(catalog, CONTENDERS, {
        connections: concurrency,
        countBytes: false,
      });
      try {
        for (const [call, requests] of [
          ["GetProduct", 2_000],
          ["ListProducts(100)", 500],
        ] as const) {
          for (const contender of contenders) {
            const once =
              call === "GetProduct"
                ? () => contender.getProduct("SKU-0042")
                : () => contender.listProducts(100);
            await runLoad(once, { requests: 200, concurrency });
            const result = await runLoad(once, { requests, concurrency });
            ctx.signal.throwIfAborted();
            ctx.event(
              contender.name,
              `${call}, ${concurrency} in flight`,
              `p50 ${round(result.p50)} ms · p99 ${round(result.p99)} ms · ${Math.round(result.perSecond)}/s`,
            );
            rows.push({
              call,
              "in flight": concurrency,
              api: contender.name,
              "p50 ms": round(result.p50),
              "p99 ms": round(result.p99),
              "calls/s": Math.round(result.perSecond),
            });
          }
        }
      } finally {
        for (const contender of contenders) await contender.close();
      }
    }
    ctx.table(rows);
  },
});
