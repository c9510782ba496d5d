import { ScriptProcess } from "@playground/kit";

interface Common {
  name: string;
  /** How long each message takes to process. */
  workMs: number;
  /** Hang after processing this many messages, before committing or acking the last. */
  stallOnNth?: number;
}

/** How a consumer process behaves; passed to it as one JSON argument. */
export type ConsumerConfig = Common &
  (
    | {
        broker: "kafka";
        host: string;
        port: number;
        topic: string;
        groupId: string;
        commitEvery: number;
      }
    | { broker: "rabbitmq"; url: string; queue: string; prefetch: number }
  );

/** What a consumer process tells its parent. */
export type ConsumerEvent =
  | { kind: "ready" }
  | { kind: "processed"; seq: number; offset?: number; redelivered?: boolean }
  | { kind: "committed"; nextOffset: number };

const MAIN = new URL("./consumer-main.ts", import.meta.url);

/** A consumer running as a separate Node process (the kit's `ScriptProcess`), which we can wait on and kill. */
export class ConsumerProcess extends ScriptProcess<ConsumerEvent> {
  private constructor(readonly config: ConsumerConfig) {
    super(MAIN, [JSON.stringify(config)], config.name);
  }

  /** Starts the process; resolves once it consumes (for Kafka: once it has joined its group). */
  static async start(config: ConsumerConfig): Promise<ConsumerProcess> {
    const consumer = new ConsumerProcess(config);
    await consumer.until((events) => events.some((e) => e.kind === "ready"));
    return consumer;
  }

  /** The `seq` of every message it finished processing, in order. */
  get processed(): number[] {
    return this.events.flatMap((e) => (e.kind === "processed" ? [e.seq] : []));
  }

  /** The offsets it committed ("everything before this is done"). */
  get commits(): number[] {
    return this.events.flatMap((e) => (e.kind === "committed" ? [e.nextOffset] : []));
  }
}
