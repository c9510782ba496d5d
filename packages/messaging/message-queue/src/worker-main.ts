// One worker as a process of its own, so that a test or the demo can kill
// it for real (SIGKILL: no `finally`, no goodbye to the broker). It reports
// what it does to its parent over the IPC channel Node opens for `fork`-like
// spawns. Its configuration is one JSON argument (see `WorkerConfig`).
import { setTimeout as sleep } from "node:timers/promises";
import amqp from "amqplib";
import { startWorker } from "./message-queue.js";
import type { ParentCommand, WorkerConfig, WorkerEvent } from "./worker-process.js";

const config = JSON.parse(process.argv[2] ?? "{}") as WorkerConfig;
// Resolves once the event is handed to the IPC channel, so that a report
// made just before we kill ourselves still reaches the parent.
const report = (event: WorkerEvent) =>
  new Promise<void>((resolve) => process.send?.(event, undefined, undefined, () => resolve()));

const connection = await amqp.connect(config.url);
let taken = 0;
const worker = await startWorker(connection, config.queue, {
  name: config.name,
  prefetch: config.prefetch,
  async handle(order, message) {
    taken++;
    await report({ kind: "took", id: order.id, redelivered: message.fields.redelivered });
    // A poison order that takes the whole process down, the way an
    // out-of-memory kill or a native crash would.
    if (order.poison && config.crashOnPoison) process.kill(process.pid, "SIGKILL");
    await sleep(config.workMs);
    await report({ kind: "processed", id: order.id });
    // Stuck between doing the work and acking it: the parent kills us here.
    if (taken === config.stallOnNth) await new Promise(() => {});
  },
});
await report({ kind: "ready" });

const stop = async () => {
  await worker.stop();
  await connection.close();
  process.exit(0);
};
process.on("message", (command: ParentCommand) => {
  if (command.kind === "stop") void stop();
});
// If our parent goes away, so do we.
process.on("disconnect", () => process.exit(0));
