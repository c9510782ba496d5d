import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import {
  concepts,
  type Demo,
  JsonRenderer,
  PlaygroundError,
  runDemo,
  SERVICE_NAMES,
  type ServiceHandle,
  type ServiceName,
  services,
  TerminalRenderer,
} from "@playground/kit";
import { Kafka, logLevel } from "kafkajs";
import type { Args } from "./args.js";

const ROUNDS = 3;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Kafka counts as ready when a first message is acknowledged, not when the log says so. */
async function firstProduce(handle: ServiceHandle): Promise<void> {
  const kafka = new Kafka({
    brokers: [`${handle.host}:${handle.port}`],
    logLevel: logLevel.NOTHING,
  });
  const producer = kafka.producer({ allowAutoTopicCreation: true });
  await producer.connect();
  try {
    await producer.send({ topic: "bench-ready", messages: [{ value: "ready" }] });
  } finally {
    await producer.disconnect();
  }
}

/** `pnpm bench servers`: how long each server takes to be ready on this machine. */
export const serverBench: Demo<never> = {
  title: "Server start-up times",
  services: [],
  async run(ctx) {
    ctx.say(
      `Starting each server ${ROUNDS} times with a fresh data directory; median start-to-ready time.`,
    );
    const rows = [];
    for (const service of SERVICE_NAMES as readonly ServiceName[]) {
      const times: number[] = [];
      let backend = "";
      for (let round = 0; round < ROUNDS; round++) {
        const started = performance.now();
        const handle = await services[service]({ dedicated: true });
        if (service === "kafka") await firstProduce(handle);
        times.push(performance.now() - started);
        backend = handle.backend;
        await handle[Symbol.asyncDispose]();
        ctx.signal.throwIfAborted();
      }
      const ms = Math.round(median(times));
      ctx.metric(`${service} ready`, ms, "ms");
      rows.push({
        service,
        backend,
        "median ms": ms,
        "min ms": Math.round(Math.min(...times)),
        "max ms": Math.round(Math.max(...times)),
      });
    }
    for (const kind of ["postgresReplicated", "redisReplicated"] as const) {
      const times: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const started = performance.now();
        const pair =
          kind === "postgresReplicated"
            ? await services.postgresReplicated({ sync: true })
            : await services.redisReplicated();
        times.push(performance.now() - started);
        await pair[Symbol.asyncDispose]();
      }
      const ms = Math.round(median(times));
      ctx.metric(`${kind} ready`, ms, "ms");
      rows.push({
        service: kind,
        backend: "local",
        "median ms": ms,
        "min ms": Math.round(Math.min(...times)),
        "max ms": Math.round(Math.max(...times)),
      });
    }
    ctx.table(rows);
  },
};

/**
 * `pnpm bench [slug…]`: `servers` is the kit's own start-up bench; a concept
 * may add `src/bench.ts`, a demo that measures (throughput, latency).
 */
export async function benchCommand(args: Args): Promise<number> {
  const all = concepts().filter((c) => existsSync(path.join(c.dir, "src", "bench.ts")));
  const wanted =
    args.positionals.length > 0 ? args.positionals : ["servers", ...all.map((c) => c.slug)];
  const renderer = args.flags.has("json") ? new JsonRenderer() : new TerminalRenderer();
  for (const name of wanted) {
    let bench: Demo<ServiceName>;
    if (name === "servers") bench = serverBench;
    else {
      const concept = all.find((c) => c.slug === name);
      if (!concept) {
        throw new PlaygroundError(
          `No bench called \`${name}\`. Benches: servers${all.map((c) => `, ${c.slug}`).join("")}.`,
        );
      }
      const file = pathToFileURL(path.join(concept.dir, "src", "bench.ts")).href;
      bench = ((await import(file)) as { default: Demo<ServiceName> }).default;
    }
    await runDemo(bench, { renderers: [renderer], cleanupMs: 10_000 });
  }
  return 0;
}
