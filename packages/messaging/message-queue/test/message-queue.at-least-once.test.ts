import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import amqp, { type ChannelModel, type ConfirmChannel } from "amqplib";
import { declareWorkQueue, makeOrders, publishOrders } from "../src/message-queue.js";
import { type WorkerConfig, WorkerProcess } from "../src/worker-process.js";
import { releaseServers, server, unique } from "./helpers.js";

// Each worker is a real process. We kill one with SIGKILL while it holds an
// order it has processed but not yet acked, and watch what the broker does.
describe("at-least-once delivery", () => {
  let url: string;
  let connection: ChannelModel;
  let producer: ConfirmChannel;
  let workers: WorkerProcess[] = [];

  beforeAll(async () => {
    url = (await server("rabbitmq")).url;
    connection = await amqp.connect(url);
    producer = await connection.createConfirmChannel();
  });

  afterEach(async () => {
    for (const worker of workers) await worker.kill();
  });

  afterAll(async () => {
    await connection?.close();
    await releaseServers();
  });

  async function crashOneOfTwo(orders: number, crashingPrefetch: number) {
    const queue = unique("orders");
    await declareWorkQueue(producer, queue);
    const base: Omit<WorkerConfig, "name" | "prefetch"> = { url, queue, workMs: 20 };
    const doomed = await WorkerProcess.start({
      ...base,
      name: "doomed",
      prefetch: crashingPrefetch,
      stallOnNth: 2,
    });
    const survivor = await WorkerProcess.start({ ...base, name: "survivor", prefetch: 1 });
    workers = [doomed, survivor];
    const ids = makeOrders(orders).map((o) => o.id);

    await publishOrders(producer, queue, makeOrders(orders));
    await doomed.until((events) => events.filter((e) => e.kind === "processed").length === 2);
    await doomed.kill();
    const processedBy = () => [...doomed.processed, ...survivor.processed];
    await survivor.until(() => ids.every((id) => processedBy().includes(id)));
    await survivor.stop();
    const depth = await producer.checkQueue(queue);
    await producer.deleteQueue(queue);

    const processed = processedBy();
    return {
      doomed,
      survivor,
      ids,
      lost: ids.filter((id) => !processed.includes(id)).length,
      duplicates: processed.length - new Set(processed).size,
      left: depth.messageCount,
    };
  }

  it("when a worker is killed after processing an order but before acking it, then the order is redelivered to another worker: none lost, one processed twice", async () => {
    // Arrange: prefetch 1, so the doomed worker holds only the order in hand.
    const orders = 10;

    // Act
    const { doomed, survivor, lost, duplicates, left } = await crashOneOfTwo(orders, 1);

    // Assert
    const inHand = doomed.processed.at(-1)!;
    expect((await doomed.exited).signal).toBe("SIGKILL");
    expect(lost).toBe(0);
    expect(duplicates).toBe(1);
    expect(left).toBe(0);
    expect(survivor.took.filter((t) => t.redelivered)).toEqual([{ id: inHand, redelivered: true }]);
    expect(survivor.processed).toContain(inHand);
  });

  it("when a worker with prefetch 5 is killed, then every message it held comes back redelivered, not only the one in hand", async () => {
    // Arrange: prefetch 5, so the doomed worker holds a backlog besides the order in hand.
    const orders = 20;

    // Act
    const { doomed, survivor, lost, duplicates } = await crashOneOfTwo(orders, 5);

    // Assert
    const redelivered = survivor.took.filter((t) => t.redelivered).map((t) => t.id);
    expect(lost).toBe(0);
    expect(duplicates).toBe(1);
    expect(redelivered).toContain(doomed.processed.at(-1));
    expect(redelivered.length).toBeGreaterThan(1);
    expect(redelivered.length).toBeLessThanOrEqual(5);
    const neverProcessedByDoomed = redelivered.filter((id) => !doomed.processed.includes(id));
    expect(neverProcessedByDoomed).toHaveLength(redelivered.length - 1);
  });
});
