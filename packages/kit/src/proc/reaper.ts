import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/**
 * The owner's side of the reaper (see `reaper-main.mjs`). One reaper serves
 * the whole process; it starts on first use and costs one small `node`.
 */
let reaper: ChildProcess | undefined;
let nextId = 0;

function ensureReaper(): ChildProcess {
  if (reaper?.stdin?.writable) return reaper;
  const script = fileURLToPath(new URL("./reaper-main.mjs", import.meta.url));
  reaper = spawn(process.execPath, [script], {
    detached: true,
    stdio: ["pipe", "ignore", "ignore"],
  });
  // Neither the reaper nor its pipe may keep our event loop alive.
  reaper.unref();
  (reaper.stdin as unknown as { unref(): void }).unref();
  reaper.stdin!.on("error", () => {});
  return reaper;
}

export interface Reaped {
  /** Process groups to kill. */
  groups?: number[];
  /** A first signal to try before SIGKILL, for servers that clean up on it. */
  signal?: NodeJS.Signals;
  /** Directories to remove. */
  dirs?: string[];
}

/** A registration that can be updated (a restarted server has a new pid) and dropped. */
export class ReaperEntry {
  readonly #id = `${process.pid}-${nextId++}`;
  #what: Reaped = {};

  constructor(what: Reaped = {}) {
    this.set(what);
  }

  set(what: Reaped): void {
    this.#what = what;
    ensureReaper().stdin!.write(`add ${this.#id} ${JSON.stringify(this.#what)}\n`);
  }

  update(change: Partial<Reaped>): void {
    this.set({ ...this.#what, ...change });
  }

  drop(): void {
    reaper?.stdin?.write(`del ${this.#id}\n`);
  }
}

/** The reaper's pid, for the tests that prove it cleans up. */
export function reaperPid(): number | undefined {
  return reaper?.pid;
}

/**
 * Makes the reaper kill `pid`'s whole process tree if this process dies
 * before it (even by SIGKILL). Call `release()` once the child has ended
 * normally. For helper processes a demo or test spawns itself.
 */
export function killOnExit(pid: number): { release(): void } {
  const entry = new ReaperEntry({ groups: [pid] });
  return { release: () => entry.drop() };
}
