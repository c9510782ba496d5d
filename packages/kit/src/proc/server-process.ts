import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { ServiceStartError } from "../errors.js";
import { isAlive, killTree, processTree, signalTree } from "./tree.mjs";
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

/** What a server has printed, kept across restarts of its process. */
export class LogBuffer {
  #text = "";

  append(text: string): void {
    this.#text += text;
    if (this.#text.length > LOG_LIMIT) this.#text = this.#text.slice(-LOG_LIMIT / 2);
  }

  get text(): string {
    return this.#text;
  }

  tail(lines: number): string {
    return this.#text.trimEnd().split("\n").slice(-lines).join("\n");
  }
}

/**
 * One server binary running as a child process. It lives in a process group
 * of its own, so that Ctrl-C in the terminal reaches us and not it: we decide
 * how it stops. Its owner tells the reaper its group (`onSpawn`), so it dies
 * with us even when we are killed with no chance to clean up.
 */
export class ServerProcess {
  #child: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();
  constructor(
    private readonly spec: ProcessSpec,
    /** Called as soon as the process exists, so the reaper can learn its group. */
    private readonly onSpawn: () => void = () => {},
    private readonly log: LogBuffer = new LogBuffer(),
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
    return this.log.text;
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
        this.log.append(text);
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
    const pid = this.#child?.pid;
    if (!pid || !this.running) return;
    const tree = processTree(pid);
    this.#signal(signal);
    // A paused server would hold the signal pending until SIGKILL: thaw it.
    signalTree(pid, "SIGCONT");
    const timer = setTimeout(() => killTree(pid), graceMs);
    await this.#untilExit();
    clearTimeout(timer);
    // Nothing the server started may outlive it.
    await this.#reap(tree);
  }

  /** A crash: SIGKILL to every process of the server, with no chance to flush anything. */
  async kill(): Promise<void> {
    const pid = this.#child?.pid;
    if (!pid) return;
    const tree = this.running ? killTree(pid) : [];
    await this.#untilExit();
    await this.#reap(tree);
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

  /**
   * Freezes every process of the server, like a long GC pause or a hung VM.
   * We walk the process tree rather than signal the group: PostgreSQL's
   * backends each lead a session of their own.
   */
  pause(): void {
    if (this.#child?.pid && this.running) signalTree(this.#child.pid, "SIGSTOP");
  }

  resume(): void {
    if (this.#child?.pid && this.running) signalTree(this.#child.pid, "SIGCONT");
  }

  tail(lines: number): string {
    return this.log.tail(lines);
  }

  /** Kills what is left of `tree` and waits until none of it is alive: its ports are closed then. */
  async #reap(tree: number[]): Promise<void> {
    const left = () => tree.filter(isAlive);
    for (const pid of left()) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // gone already
      }
    }
    const deadline = Date.now() + 5000;
    while (left().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  }

  #signal(signal: NodeJS.Signals): void {
    try {
      this.#child?.kill(signal);
    } catch {
      // already gone
    }
  }
}
