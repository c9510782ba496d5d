import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { ServiceStartError } from "../errors.js";
import type { Account } from "./users.js";

export interface ProcessSpec {
  /** Shown in errors and progress, e.g. `postgres`. */
  label: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  account?: Account | undefined;
  /** A line in stdout or stderr that means "ready". */
  readyLine?: RegExp;
  readyTimeoutMs?: number;
}

const LOG_LIMIT = 256 * 1024;

/**
 * One server binary running as a child process. It lives in a process group
 * of its own, so that Ctrl-C in the terminal reaches us and not it: we decide
 * how it stops. Its owner tells the reaper its group (`onSpawn`), so it dies
 * with us even when we are killed with no chance to clean up.
 */
export class ServerProcess {
  #child: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();
  #log = "";
  constructor(
    private readonly spec: ProcessSpec,
    /** Called as soon as the process exists, so the reaper can learn its group. */
    private readonly onSpawn: () => void = () => {},
  ) {}

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  get running(): boolean {
    return (
      this.#child !== undefined && this.#child.exitCode === null && this.#child.signalCode === null
    );
  }

  logs(): string {
    return this.#log;
  }

  /** Spawns the process and resolves once its ready line appears. */
  async start(): Promise<void> {
    const {
      label,
      command,
      args,
      env,
      cwd,
      account,
      readyLine,
      readyTimeoutMs = 30_000,
    } = this.spec;
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, ...env },
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      ...(account ? { uid: account.uid, gid: account.gid } : {}),
    });
    this.#child = child;
    this.#exited = once(child, "exit").then(() => undefined);
    // A server that cannot be spawned (ENOENT) emits `error` and no `exit`.
    const spawnFailed = once(child, "error").then(([err]) => {
      throw new ServiceStartError(
        `${label} could not be started (${command}): ${(err as Error).message}`,
      );
    });
    child.unref();
    this.onSpawn();

    // Only output from this start counts: after a restart the old log still
    // holds the previous "ready" line.
    let fresh = "";
    const lineSeen = new Promise<void>((resolve) => {
      const onData = (chunk: Buffer) => {
        const text = chunk.toString();
        this.#append(text);
        fresh = (fresh + text).slice(-16 * 1024);
        if (readyLine?.test(fresh)) resolve();
      };
      child.stdout!.on("data", onData);
      child.stderr!.on("data", onData);
      (child.stdout as unknown as { unref(): void }).unref();
      (child.stderr as unknown as { unref(): void }).unref();
      if (!readyLine) resolve();
    });
    const exitedEarly = this.#exited.then(() => {
      throw new ServiceStartError(
        `${label} exited while starting (code ${child.exitCode ?? child.signalCode}). Last log lines:\n${this.tail(15)}`,
      );
    });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new ServiceStartError(
              `${label} was not ready within ${readyTimeoutMs} ms. Last log lines:\n${this.tail(15)}`,
            ),
          ),
        readyTimeoutMs,
      );
    });
    try {
      await Promise.race([lineSeen, exitedEarly, spawnFailed, timedOut]);
    } catch (err) {
      await this.kill();
      throw err;
    } finally {
      clearTimeout(timer);
      exitedEarly.catch(() => {});
      spawnFailed.catch(() => {});
    }
  }

  /** Rejects if the process exits; for racing against readiness checks. */
  async failOnExit(): Promise<never> {
    await this.#exited;
    throw new ServiceStartError(
      `${this.spec.label} exited while starting (code ${this.#child?.exitCode ?? this.#child?.signalCode}). Last log lines:\n${this.tail(15)}`,
    );
  }

  /** Resolves when `pattern` appears in the log after this call. */
  async waitForLog(pattern: RegExp, timeoutMs = 30_000): Promise<void> {
    const child = this.#child;
    if (!child) throw new Error(`${this.spec.label} is not running`);
    let fresh = "";
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => done(new Error(`${this.spec.label}: ${pattern} not seen within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const check = (chunk: Buffer) => {
        fresh = (fresh + chunk.toString()).slice(-16 * 1024);
        if (pattern.test(fresh)) done();
      };
      const done = (err?: Error) => {
        clearTimeout(timer);
        child.stdout?.off("data", check);
        child.stderr?.off("data", check);
        err ? reject(err) : resolve();
      };
      child.stdout?.on("data", check);
      child.stderr?.on("data", check);
    });
  }

  /** A clean shutdown with `signal`, escalating to SIGKILL after `graceMs`. */
  async stop(signal: NodeJS.Signals = "SIGTERM", graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.#signal(signal);
    const timer = setTimeout(() => this.#signalGroup("SIGKILL"), graceMs);
    await this.#untilExit();
    clearTimeout(timer);
    // Children of the server (PostgreSQL's backends) must not outlive it.
    this.#signalGroup("SIGKILL");
  }

  /** A crash: SIGKILL to the whole group, with no chance to flush anything. */
  async kill(): Promise<void> {
    if (!this.#child) return;
    this.#signalGroup("SIGCONT");
    this.#signalGroup("SIGKILL");
    await this.#untilExit();
  }

  /**
   * The child is unref'd so an idle server never keeps a demo alive, but
   * while we wait for it to exit, that wait must keep the event loop alive.
   */
  async #untilExit(): Promise<void> {
    this.#child?.ref();
    try {
      await this.#exited;
    } finally {
      this.#child?.unref();
    }
  }

  /** Freezes every process of the server, like a long GC pause or a hung VM. */
  pause(): void {
    this.#signalGroup("SIGSTOP");
  }

  resume(): void {
    this.#signalGroup("SIGCONT");
  }

  tail(lines: number): string {
    return this.#log.trimEnd().split("\n").slice(-lines).join("\n");
  }

  #append(text: string): void {
    this.#log += text;
    if (this.#log.length > LOG_LIMIT) this.#log = this.#log.slice(-LOG_LIMIT / 2);
  }

  #signal(signal: NodeJS.Signals): void {
    try {
      this.#child?.kill(signal);
    } catch {
      // already gone
    }
  }

  #signalGroup(signal: NodeJS.Signals): void {
    const pid = this.#child?.pid;
    if (!pid) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // the group is already empty
    }
  }
}
