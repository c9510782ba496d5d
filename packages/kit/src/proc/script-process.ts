import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { killOnExit } from "./reaper.js";

const TSX = import.meta.resolve("tsx");

/** How the process ended: an exit code, or the signal that killed it. */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * One of our TypeScript scripts running as a real Node process under tsx, so a
 * demo can crash it (SIGKILL), freeze it (SIGSTOP) or thaw it (SIGCONT) the
 * way an operating system would. The script reports events either with
 * `process.send(event)` (IPC) or as JSON lines on stdout; both land in
 * `events`, in arrival order. If our own process dies first, the kit's reaper
 * kills the script too, so nothing outlives a Ctrl-C.
 */
export class ScriptProcess<E = { type: string } & Record<string, unknown>> {
  readonly events: E[] = [];
  readonly exited: Promise<Exit>;
  readonly #child: ChildProcess;
  readonly #waiters = new Set<() => void>();
  readonly #listeners = new Set<(event: E) => void>();
  #stdout = "";
  #stderr = "";

  /**
   * Starts `node --import tsx <script> <args…>` without waiting for it.
   * `prefix` runs it through another command that execs it, such as
   * `ip netns exec <ns>` (see DelayLine.farCommand).
   */
  constructor(
    script: URL,
    args: string[] = [],
    readonly name = fileURLToPath(script).split("/").pop()!,
    { prefix = [] }: { prefix?: string[] } = {},
  ) {
    // Our own NODE_OPTIONS (Jest's --experimental-vm-modules, say) are not the script's business.
    const { NODE_OPTIONS: _ours, ...env } = process.env;
    const command = [process.execPath, "--import", TSX, fileURLToPath(script), ...args];
    const [file, ...rest] = [...prefix, ...command];
    this.#child = spawn(file!, rest, { env, stdio: ["pipe", "pipe", "pipe", "ipc"] });
    const reaped = killOnExit(this.#child.pid!);
    this.exited = once(this.#child, "close").then(([code, signal]) => {
      reaped.release();
      return { code, signal } as Exit;
    });
    this.exited.then(() => this.#changed());
    this.#child.stdin!.on("error", () => {}); // writing to a dead script is not our crash
    this.#child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
      this.#stderr += chunk;
    });
    this.#child.on("message", (event: E) => this.#push(event));
    createInterface({ input: this.#child.stdout! }).on("line", (line) => {
      this.#stdout += `${line}\n`;
      if (line.startsWith("{")) this.#push(JSON.parse(line) as E);
    });
  }

  get pid(): number {
    return this.#child.pid!;
  }

  get stdout(): string {
    return this.#stdout;
  }

  get stderr(): string {
    return this.#stderr;
  }

  /** Calls `listener` with every event from now on; returns the function that unsubscribes. */
  on(listener: (event: E) => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  /** Resolves once `condition` holds on the events so far; rejects if the script exits first. */
  until(condition: (events: E[]) => boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (condition(this.events)) {
          this.#waiters.delete(check);
          resolve();
        } else if (!this.running) {
          this.#waiters.delete(check);
          const how = this.#child.signalCode ?? `code ${this.#child.exitCode}`;
          reject(
            new Error(`${this.name} exited (${how}) before the awaited event.\n${this.#stderr}`),
          );
        }
      };
      this.#waiters.add(check);
      check();
    });
  }

  /**
   * The first event that matches, already received or still to come: either
   * a predicate, or a `type` (for events that carry one) and an optional
   * predicate on top.
   */
  async next(type: string, and?: (event: E) => boolean): Promise<E>;
  async next(matches: (event: E) => boolean): Promise<E>;
  async next(what: string | ((event: E) => boolean), and?: (event: E) => boolean): Promise<E> {
    const matches =
      typeof what === "function"
        ? what
        : (e: E) => (e as { type?: unknown }).type === what && (and?.(e) ?? true);
    await this.until((events) => events.some(matches));
    return this.events.find(matches)!;
  }

  /** Sends a message over IPC (the script reads it with `process.on("message")`). */
  send(message: unknown): void {
    if (this.#child.connected) this.#child.send(message as object);
  }

  /** Writes one line to the script's stdin. */
  write(line: string): void {
    this.#child.stdin!.write(`${line}\n`);
  }

  get running(): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null;
  }

  signal(signal: NodeJS.Signals): void {
    if (this.running) this.#child.kill(signal);
  }

  /** Freezes the process, as a long GC pause or a descheduled VM would. */
  pause(): void {
    this.signal("SIGSTOP");
  }

  resume(): void {
    this.signal("SIGCONT");
  }

  /** A crash: no cleanup runs, and the kernel closes its sockets. Resolves once it is gone. */
  async kill(): Promise<Exit> {
    this.signal("SIGCONT");
    this.signal("SIGKILL");
    return this.exited;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.kill();
  }

  #push(event: E): void {
    this.events.push(event);
    for (const listener of this.#listeners) listener(event);
    this.#changed();
  }

  #changed(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }
}
