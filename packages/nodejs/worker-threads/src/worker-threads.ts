import { once } from "node:events";
import { type Transferable, Worker } from "node:worker_threads";

// Node runs our JavaScript on one thread. While a function computes, the
// event loop cannot accept a connection, fire a timer or answer a request.
// `worker_threads` gives us more threads in the same process, each with its
// own event loop and heap, talking to us only through messages.
//
// Starting a worker costs tens of milliseconds and a few megabytes, so we
// start a fixed number of them once and hand them tasks: a worker pool.
// This one is small on purpose; piscina is the production version.

interface Job<Task, Result> {
  task: Task;
  transfer: readonly Transferable[];
  resolve: (result: Result) => void;
  reject: (error: Error) => void;
}

/**
 * A fixed set of worker threads running one script. Each worker handles one
 * task at a time and answers each task message with exactly one message.
 */
export class WorkerPool<Task, Result> {
  readonly #idle: Worker[] = [];
  readonly #busy = new Map<Worker, Job<Task, Result>>();
  readonly #queue: Job<Task, Result>[] = [];
  readonly #workers = new Set<Worker>();
  readonly #online: Promise<unknown>[] = [];
  #closed = false;

  constructor(
    private readonly script: URL,
    readonly size: number,
  ) {
    for (let i = 0; i < size; i++) this.#spawn();
  }

  /** Resolves once every worker thread has started and can take a task. */
  async ready(): Promise<void> {
    await Promise.all(this.#online);
  }

  /**
   * Queues `task` for the next free worker. Objects in `transfer` move to the
   * worker instead of being copied, and are unusable here afterwards.
   */
  run(task: Task, transfer: readonly Transferable[] = []): Promise<Result> {
    if (this.#closed) return Promise.reject(new Error("WorkerPool is closed: create a new one"));
    return new Promise((resolve, reject) => {
      this.#queue.push({ task, transfer, resolve, reject });
      this.#dispatch();
    });
  }

  // A task waits in the queue until a worker is idle. `postMessage` does
  // not share the task: it copies it with the structured clone algorithm,
  // so the worker cannot see what we change afterwards, and vice versa.
  #dispatch(): void {
    while (this.#idle.length > 0 && this.#queue.length > 0) {
      const worker = this.#idle.pop()!;
      const job = this.#queue.shift()!;
      this.#busy.set(worker, job);
      worker.postMessage(job.task, [...job.transfer]);
    }
  }

  #spawn(): void {
    const worker = new Worker(this.script);
    this.#workers.add(worker);
    this.#idle.push(worker);
    const online = once(worker, "online");
    online.catch(() => {}); // a failed start also reaches the "error" handler below
    this.#online.push(online);

    // One message back means the task is done and the worker is free again.
    worker.on("message", (result: Result) => {
      const job = this.#busy.get(worker);
      this.#busy.delete(worker);
      this.#idle.push(worker);
      job?.resolve(result);
      this.#dispatch();
    });

    // A task that throws kills its worker, and so does `process.exit()`
    // inside it. We fail that task only, and start a replacement so the
    // pool keeps its size. "exit" follows "error", so we clean up there.
    let failure: Error | undefined;
    worker.on("error", (error: Error) => {
      failure = error;
    });
    worker.on("exit", (code) => {
      const job = this.#busy.get(worker);
      this.#busy.delete(worker);
      this.#workers.delete(worker);
      const idleAt = this.#idle.indexOf(worker);
      if (idleAt >= 0) this.#idle.splice(idleAt, 1);
      job?.reject(failure ?? new Error(`worker exited with code ${code} during a task`));
      if (!this.#closed) {
        this.#spawn();
        this.#dispatch();
      }
    });
  }

  /** Stops every worker; queued and running tasks are rejected. */
  async close(): Promise<void> {
    this.#closed = true;
    const closed = new Error("WorkerPool closed before the task finished");
    for (const job of this.#queue.splice(0)) job.reject(closed);
    await Promise.all([...this.#workers].map((w) => w.terminate()));
    this.#workers.clear();
    this.#idle.length = 0;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/** What `prime-worker.mjs` answers for one task. */
export interface PrimeResult {
  primes: number;
  /** Wall-clock ms (`performance.timeOrigin + performance.now()`) when the worker began. */
  startedAt: number;
  endedAt: number;
  threadId: number;
}

/** A pool of workers that count primes below `{ limit }`. */
export function primePool(size: number): WorkerPool<{ limit: number }, PrimeResult> {
  return new WorkerPool(new URL("./prime-worker.mjs", import.meta.url), size);
}
