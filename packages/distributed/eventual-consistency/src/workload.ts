import type { Redis } from "ioredis";
import { read, write } from "./eventual-consistency.js";
import { History, type Op } from "./history.js";

/** A node the readers may read from. */
export interface ReadNode {
  name: string;
  client: Redis;
}

export interface WorkloadOptions {
  key: string;
  durationMs: number;
  /** The pause between one writer's writes. */
  writeEveryMs: number;
  /** Reader `i` reads `nodes[i % nodes.length]`, back to back. */
  readers: number;
  signal?: AbortSignal;
}

/**
 * One writer on the primary and `readers` readers on the replicas, for
 * `durationMs`. Resolves with the recorded history, for `check`.
 */
export async function runWorkload(
  primary: Redis,
  nodes: readonly ReadNode[],
  options: WorkloadOptions,
): Promise<Op[]> {
  const history = new History();
  const until = performance.now() + options.durationMs;
  const running = () => performance.now() < until && !options.signal?.aborted;
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  const writer = async () => {
    for (let i = 1; running(); i++) {
      await history.record("writer", "write", async () => ({
        version: await write(primary, options.key, `value ${i}`),
        node: "primary",
      }));
      await pause(options.writeEveryMs);
    }
  };
  const reader = async (index: number) => {
    const node = nodes[index % nodes.length]!;
    while (running()) {
      await history.record(`reader-${index}`, "read", async () => ({
        version: (await read(node.client, options.key)).version,
        node: node.name,
      }));
      await pause(1);
    }
  };
  await Promise.all([writer(), ...Array.from({ length: options.readers }, (_, i) => reader(i))]);
  return history.ops;
}
