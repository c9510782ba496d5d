import { readdirSync, readFileSync } from "node:fs";
import { chown, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { waitUntil } from "../../helpers/wait.js";
import { freePort } from "../../proc/ports.js";
import { ReaperEntry } from "../../proc/reaper.js";
import { LogBuffer, type ProcessSpec, ServerProcess } from "../../proc/server-process.js";
import { processTree } from "../../proc/tree.mjs";
import { type Account, runAs } from "../../proc/users.js";
import { progress } from "../progress.js";
import type { ServiceHandle, ServiceName } from "../types.js";

/** What a recipe knows about the server it is configuring. */
export interface LocalContext {
  readonly dir: string;
  readonly host: string;
  readonly port: number;
  /** Extra free ports, as many as the recipe asked for (a controller port, a dist port…). */
  readonly extraPorts: number[];
  readonly account: Account | undefined;
}

/**
 * How to run one kind of server from an installed binary. The generic part
 * (temporary directory, free ports, the process, crash, pause, cleanup) is
 * in {@link LocalServer}; a recipe holds only what differs.
 */
export interface LocalRecipe {
  service: ServiceName;
  /** The system account to run as when we are root (PostgreSQL refuses root). */
  user?: string;
  extraPorts?: number;
  /** Runs once, before the first start: initdb, config files, formatting. */
  prepare?(ctx: LocalContext): Promise<void>;
  /** Long-lived helpers started once, before the server (RabbitMQ's epmd). */
  companions?(ctx: LocalContext): Omit<ProcessSpec, "account">[];
  process(ctx: LocalContext): Omit<ProcessSpec, "account">;
  /** Extra readiness checks after the ready line, e.g. a first query. */
  ready?(ctx: LocalContext): Promise<void>;
  /** The clean-shutdown signal; SIGTERM if unset. */
  stopSignal?: NodeJS.Signals;
  /** The fastest shutdown that still frees everything (used on dispose and by the reaper). */
  quitSignal?: NodeJS.Signals;
  /** Frees what a crashed server left outside its directory. */
  afterCrash?(ctx: LocalContext): Promise<void>;
  url(ctx: LocalContext): string;
}

export class LocalServer implements ServiceHandle {
  readonly backend = "local" as const;
  readonly service: ServiceName;
  readonly host = "127.0.0.1";
  #main: ServerProcess;
  /** Kept across restarts: `logs()` is everything the server printed since it was created. */
  readonly #log = new LogBuffer();
  #companions: ServerProcess[] = [];
  #disposed = false;

  private constructor(
    private readonly recipe: LocalRecipe,
    private readonly ctx: LocalContext,
    private readonly reaper: ReaperEntry,
  ) {
    this.service = recipe.service;
    this.#main = this.#process(recipe.process(ctx), this.#log);
  }

  /** Creates the directory and ports, prepares, and starts the server. */
  static async create(recipe: LocalRecipe, label: string = recipe.service): Promise<LocalServer> {
    const account = runAs(recipe.user);
    const dir = await mkdtemp(path.join(tmpdir(), `playground-${recipe.service}-`));
    const reaper = new ReaperEntry({
      dirs: [dir],
      ...(recipe.quitSignal ? { signal: recipe.quitSignal } : {}),
    });
    try {
      if (account) await chown(dir, account.uid, account.gid);
      const port = await freePort();
      const extraPorts = await Promise.all(
        Array.from({ length: recipe.extraPorts ?? 0 }, freePort),
      );
      const ctx: LocalContext = { dir, host: "127.0.0.1", port, extraPorts, account };
      const server = new LocalServer(recipe, ctx, reaper);
      try {
        await progress(`${label} (local)`, async () => {
          await recipe.prepare?.(ctx);
          await server.#startCompanions();
          await server.start();
        });
      } catch (err) {
        await server[Symbol.asyncDispose]();
        throw err;
      }
      return server;
    } catch (err) {
      reaper.drop();
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
  }

  get port(): number {
    return this.ctx.port;
  }

  get url(): string {
    return this.recipe.url(this.ctx);
  }

  /** The temporary directory that holds this server's data and config. */
  get dir(): string {
    return this.ctx.dir;
  }

  get pid(): number | undefined {
    return this.#main.pid;
  }

  async start(): Promise<void> {
    if (this.#main.running) return;
    this.#main = this.#process(this.recipe.process(this.ctx), this.#log);
    await this.#main.start();
    if (this.recipe.ready) {
      const exited = this.#main.failOnExit();
      exited.catch(() => {});
      await Promise.race([this.recipe.ready(this.ctx), exited]);
    }
  }

  async stop(): Promise<void> {
    await this.#main.stop(this.recipe.stopSignal ?? "SIGTERM");
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async kill(): Promise<void> {
    await this.#main.kill();
  }

  /**
   * Resolves once the server is frozen, not merely told to freeze. When
   * kill(SIGSTOP) returns, the signal is only pending: each thread stops the
   * next time the kernel runs it, which for a JVM's dozens of threads on a
   * busy machine can take tens of milliseconds, and until then the server
   * still answers requests. Nothing announces the stop to us (Node's child
   * process API does not report stops), so we watch /proc for it.
   */
  async pause(): Promise<void> {
    this.#main.pause();
    const pid = this.#main.pid;
    if (pid === undefined || !this.#main.running) return;
    await waitUntil(`${this.service} (pid ${pid}) stopping after SIGSTOP`, () => isFrozen(pid), {
      timeoutMs: 10_000,
      everyMs: 1,
    });
  }

  async resume(): Promise<void> {
    this.#main.resume();
  }

  async logs(): Promise<string> {
    return this.#log.text;
  }

  /** Waits until `pattern` appears in the server's output. */
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<void> {
    return this.#main.waitForLog(pattern, timeoutMs);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#main.resume();
    if (this.recipe.quitSignal) await this.#main.stop(this.recipe.quitSignal, 2000);
    else await this.#main.kill();
    await this.recipe.afterCrash?.(this.ctx);
    for (const companion of this.#companions) await companion.kill();
    await rm(this.ctx.dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
    this.reaper.drop();
  }

  async #startCompanions(): Promise<void> {
    for (const spec of this.recipe.companions?.(this.ctx) ?? []) {
      const companion = this.#process(spec);
      this.#companions.push(companion);
      await companion.start();
    }
  }

  #process(spec: Omit<ProcessSpec, "account">, log?: LogBuffer): ServerProcess {
    return new ServerProcess({ ...spec, account: this.ctx.account }, () => this.#track(), log);
  }

  /** Tells the reaper every process group we currently own. */
  #track(): void {
    const groups = [this.#main, ...this.#companions]
      .map((p) => p.pid)
      .filter((p): p is number => p !== undefined);
    this.reaper.update({ groups });
  }
}

/** The states of a thread in /proc that run no more code: stopped, traced, zombie, dead. */
const FROZEN_STATES = new Set(["T", "t", "Z", "X"]);

/**
 * Whether every thread of every process under `root` is stopped. A process
 * or thread that exits while we look no longer counts.
 */
function isFrozen(root: number): boolean {
  for (const pid of processTree(root)) {
    let threads: string[];
    try {
      threads = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of threads) {
      let stat: string;
      try {
        stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
      } catch {
        continue;
      }
      // The command name may hold spaces and parentheses; the state follows the last ")".
      const state = stat.charAt(stat.lastIndexOf(")") + 2);
      if (!FROZEN_STATES.has(state)) return false;
    }
  }
  return true;
}
