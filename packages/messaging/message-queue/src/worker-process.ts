import { ScriptProcess } from "@playground/kit";

/** How a worker process behaves; passed to it as one JSON argument. */
export interface WorkerConfig {
  url: string;
  queue: string;
  name: string;
  prefetch: number;
  /** How long each order takes. */
  workMs: number;
  /** Hang after processing this many orders, before acking the last one. */
  stallOnNth?: number;
  /** Die by SIGKILL on taking a poison order. */
  crashOnPoison?: boolean;
}

/** What a worker process tells its parent. */
export type WorkerEvent =
  | { kind: "ready" }
  | { kind: "took"; id: string; redelivered: boolean }
  | { kind: "processed"; id: string };

export type ParentCommand = { kind: "stop" };

const MAIN = new URL("./worker-main.ts", import.meta.url);

/**
 * A worker running as a separate Node process (the kit's `ScriptProcess`):
 * we keep every event it reports, and can wait for one, stop it, or kill it.
 */
export class WorkerProcess extends ScriptProcess<WorkerEvent> {
  private constructor(readonly config: WorkerConfig) {
    super(MAIN, [JSON.stringify(config)], config.name);
  }

  /** Starts the process and resolves once its consumer is registered with the broker. */
  static async start(config: WorkerConfig): Promise<WorkerProcess> {
    const worker = WorkerProcess.spawn(config);
    await worker.until((events) => events.some((e) => e.kind === "ready"));
    return worker;
  }

  /** Starts the process without waiting for it: it may take, and die on, a message at once. */
  static spawn(config: WorkerConfig): WorkerProcess {
    return new WorkerProcess(config);
  }

  /** Ids of the orders this worker finished processing (acked or not). */
  get processed(): string[] {
    return this.events.flatMap((e) => (e.kind === "processed" ? [e.id] : []));
  }

  /** Every order it took, with the broker's `redelivered` flag. */
  get took(): { id: string; redelivered: boolean }[] {
    return this.events.flatMap((e) =>
      e.kind === "took" ? [{ id: e.id, redelivered: e.redelivered }] : [],
    );
  }

  /** A clean stop: cancel the consumer, finish the job in hand, close the connection. */
  async stop(): Promise<void> {
    this.send({ kind: "stop" } satisfies ParentCommand);
    await this.exited;
  }
}
