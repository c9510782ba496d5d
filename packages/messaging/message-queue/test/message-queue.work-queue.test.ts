import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import amqp, { type ChannelModel, type ConfirmChannel } from "amqplib";
import {
  declareWorkQueue,
  makeOrders,
  publishOrders,
  startWorker,
  type Worker,
} from "../src/message-queue.js";
import { Countdown, releaseServers, server, unique } from "./helpers.js";

describe("a work queue with competing workers", () => {
  let connection: ChannelModel;
  let producer: ConfirmChannel;

  beforeAll(async () => {
    const rabbitmq = await server("rabbitmq");
    connection = await amqp.connect(rabbitmq.url);
    producer = await connection.createConfirmChannel();
  });

  afterAll(async () => {
    await connection?.close();
    await releaseServers();
  });

  /** Starts one worker per entry, all on the same queue, then publishes `orders` orders. */
  async function race(specs: { name: string; workMs: number; prefetch: number }[], orders: number) {
    const queue = unique("orders");
    await declareWorkQueue(producer, queue);
    const finished = new Countdown(orders);
    const workers: Worker[] = [];
    for (const spec of specs) {
      workers.push(
        await startWorker(connection, queue, {
          name: spec.name,
          prefetch: spec.prefetch,
          handle: async () => {
            await sleep(spec.workMs);
            finished.tick();
          },
        }),
      );
    }
    await publishOrders(producer, queue, makeOrders(orders));
    await finished.done;
    for (const worker of workers) await worker.stop();
    await producer.deleteQueue(queue);
    return Object.fromEntries(workers.map((w) => [w.name, w.done])) as Record<
      string,
      Worker["done"]
    >;
  }

  it("when three workers compete for one queue, then every order is processed exactly once and each worker takes a share", async () => {
    // Arrange
    const specs = ["a", "b", "c"].map((name) => ({ name, workMs: 10, prefetch: 1 }));

    // Act
    const done = await race(specs, 30);

    // Assert
    const ids = Object.values(done).flatMap((deliveries) => deliveries.map((d) => d.order.id));
    expect(ids).toHaveLength(30);
    expect(new Set(ids).size).toBe(30);
    for (const name of ["a", "b", "c"]) expect(done[name]!.length).toBeGreaterThanOrEqual(3);
  });

  it("when prefetch is 1, then a fast worker takes most of the orders from a slow one", async () => {
    // Arrange
    const specs = [
      { name: "slow", workMs: 150, prefetch: 1 },
      { name: "fast", workMs: 2, prefetch: 1 },
    ];

    // Act
    const done = await race(specs, 40);

    // Assert
    expect(done.slow!.length + done.fast!.length).toBe(40);
    expect(done.fast!.length).toBeGreaterThan(done.slow!.length * 2);
  });

  it("when prefetch is large, then orders are pushed round-robin whatever each worker's speed", async () => {
    // Arrange
    const specs = [
      { name: "slow", workMs: 150, prefetch: 100 },
      { name: "fast", workMs: 2, prefetch: 100 },
    ];

    // Act
    const done = await race(specs, 40);

    // Assert
    expect(done.slow!.length + done.fast!.length).toBe(40);
    expect(Math.abs(done.slow!.length - done.fast!.length)).toBeLessThanOrEqual(4);
  });
});
