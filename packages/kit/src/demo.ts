import type { Renderer, TableRow } from "./narration/events.js";
import { Narrator } from "./narration/narrator.js";
import { startService } from "./services/index.js";
import type { ServiceHandle, ServiceName } from "./services/types.js";

/** What a demo receives: narration, its servers, Ctrl-C, and fast mode. */
export interface DemoContext<S extends ServiceName = ServiceName> {
  say(text: string): void;
  event(actor: string, what: string, detail?: string): void;
  state(actor: string, from: string, to: string): void;
  metric(name: string, value: number, unit: string): void;
  table(rows: TableRow[]): void;
  claim(text: string, holds: boolean): void;
  /** The servers the demo declared, started before `run` and disposed after it. */
  services: Record<S, ServiceHandle>;
  /** Fires on Ctrl-C. Long waits should pass it on. */
  signal: AbortSignal;
  /** True in tests: shorten waits, keep the story. */
  fast: boolean;
  /** Waits `ms` (a tenth of it in fast mode), or throws when the demo is aborted. */
  sleep(ms: number): Promise<void>;
  /** Registers cleanup (a server, a socket, a proxy); runs in reverse order when the demo ends. */
  defer(cleanup: () => unknown): void;
}

export interface Demo<S extends ServiceName = ServiceName> {
  title: string;
  services: readonly S[];
  run(ctx: DemoContext<S>): Promise<void>;
}

/** The one thing a concept's `src/demo.ts` exports by default. */
export function defineDemo<const S extends ServiceName = never>(demo: Demo<S>): Demo<S> {
  return demo;
}

export interface RunOptions {
  renderers: Renderer[];
  fast?: boolean;
  signal?: AbortSignal;
  /** How long cleanup may take after the demo ends or is aborted. */
  cleanupMs?: number;
}

export class DemoAborted extends Error {
  override name = "DemoAborted";
}

/**
 * Runs a demo: starts its servers, runs it, and always cleans up, in reverse
 * order of creation, whether it finished, failed or was aborted.
 */
export async function runDemo<S extends ServiceName>(
  demo: Demo<S>,
  options: RunOptions,
): Promise<void> {
  const narrator = new Narrator(...options.renderers);
  const signal = options.signal ?? new AbortController().signal;
  const cleanups: (() => unknown)[] = [];
  const fast = options.fast ?? false;
  const aborted = new Promise<never>((_, reject) => {
    const fail = () => reject(new DemoAborted("aborted"));
    if (signal.aborted) fail();
    else signal.addEventListener("abort", fail, { once: true });
  });
  aborted.catch(() => {});

  const started: Partial<Record<S, ServiceHandle>> = {};
  const ctx: DemoContext<S> = {
    say: (text) => narrator.say(text),
    event: (actor, what, detail) => narrator.event(actor, what, detail),
    state: (actor, from, to) => narrator.state(actor, from, to),
    metric: (name, value, unit) => narrator.metric(name, value, unit),
    table: (rows) => narrator.table(rows),
    claim: (text, holds) => narrator.claim(text, holds),
    services: started as Record<S, ServiceHandle>,
    signal,
    fast,
    sleep: (ms) => abortableSleep(fast ? ms / 10 : ms, signal),
    defer: (cleanup) => cleanups.push(cleanup),
  };

  try {
    for (const name of demo.services) {
      const handle = await Promise.race([startService(name), aborted]);
      started[name] = handle;
      cleanups.push(() => handle[Symbol.asyncDispose]());
    }
    await Promise.race([demo.run(ctx), aborted]);
  } finally {
    await cleanUp(cleanups, options.cleanupMs ?? 2000);
  }
}

async function cleanUp(cleanups: (() => unknown)[], budgetMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, budgetMs);
  });
  const all = (async () => {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch {
        // One failed cleanup must not stop the others.
      }
    }
  })();
  await Promise.race([all, deadline]);
  clearTimeout(timer);
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new DemoAborted("aborted"));
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(timer);
      reject(new DemoAborted("aborted"));
    }
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
