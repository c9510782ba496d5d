import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import amqp, { type ChannelModel, type ConfirmChannel } from "amqplib";
import { declareWithDeadLetter, nextDeadLetter } from "../src/dead-letter.js";
import { makeOrders, type Order, publishOrders, startWorker } from "../src/message-queue.js";
import { WorkerProcess } from "../src/worker-process.js";
import { Countdown, releaseServers, server, unique } from "./helpers.js";

describe("poison messages and the dead-letter queue", () => {
  let url: string;
  let connection: ChannelModel;
  let channel: ConfirmChannel;
  let workers: WorkerProcess[] = [];

  beforeAll(async () => {
    url = (await server("rabbitmq")).url;
    connection = await amqp.connect(url);
    channel = await connection.createConfirmChannel();
  });

  afterEach(async () => {
    for (const worker of workers) await worker.kill();
  });

  afterAll(async () => {
    await connection?.close();
    await releaseServers();
  });

  const withPoison = (): Order[] => {
    const [first, second, third] = makeOrders(3);
    return [first!, { id: "poison-1", poison: true }, second!, third!];
  };

  it("when an order fails on every attempt, then after the delivery limit it is dead-lettered and the other orders still get done", async () => {
    // Arrange
    workers = [];
    const deliveryLimit = 3;
    const { queue, deadLetterQueue } = await declareWithDeadLetter(
      channel,
      unique("orders"),
      deliveryLimit,
    );
    const attempts: string[] = [];
    const goodDone = new Countdown(3);
    const worker = await startWorker(connection, queue, {
      name: "worker",
      prefetch: 1,
      handle: async (order) => {
        attempts.push(order.id);
        if (order.poison) throw new Error(`cannot fulfil ${order.id}`);
        goodDone.tick();
      },
    });
    const deadLettered = nextDeadLetter(channel, deadLetterQueue);

    // Act
    await publishOrders(channel, queue, withPoison());
    const dead = await deadLettered;
    await goodDone.done;
    await worker.stop();

    // Assert
    expect(dead.order.id).toBe("poison-1");
    expect(dead.reason).toBe("delivery_limit");
    expect(dead.from).toBe(queue);
    expect(attempts.filter((id) => id === "poison-1")).toHaveLength(deliveryLimit + 1);
    expect(worker.done.map((d) => d.order.id).sort()).toEqual(["order-1", "order-2", "order-3"]);
    expect((await channel.checkQueue(queue)).messageCount).toBe(0);
    await channel.deleteQueue(queue);
    await channel.deleteQueue(deadLetterQueue);
  });

  it("when a poison order crashes every worker process that takes it, then the broker's own delivery count still dead-letters it", async () => {
    // Arrange: a supervisor that restarts the worker each time it dies.
    workers = [];
    const deliveryLimit = 2;
    const { queue, deadLetterQueue } = await declareWithDeadLetter(
      channel,
      unique("orders"),
      deliveryLimit,
    );
    const deadLettered = nextDeadLetter(channel, deadLetterQueue);
    await publishOrders(channel, queue, withPoison());

    // Act: a new worker each time the last one dies, until the good orders are done.
    const good = ["order-1", "order-2", "order-3"];
    const processed = () => new Set(workers.flatMap((w) => w.processed));
    let crashes = 0;
    while (!good.every((id) => processed().has(id)) && crashes <= deliveryLimit + 3) {
      const worker = WorkerProcess.spawn({
        url,
        queue,
        name: `worker-${crashes + 1}`,
        prefetch: 1,
        workMs: 5,
        crashOnPoison: true,
      });
      workers.push(worker);
      const finished = await worker
        .until(() => good.every((id) => processed().has(id)))
        .then(
          () => true,
          () => false, // it died first
        );
      if (finished) await worker.stop();
      else crashes++;
    }
    const dead = await deadLettered;

    // Assert
    expect(dead.order.id).toBe("poison-1");
    expect(dead.reason).toBe("delivery_limit");
    expect(crashes).toBe(deliveryLimit + 1);
    expect(workers.slice(0, crashes).every((w) => w.took.some((t) => t.id === "poison-1"))).toBe(
      true,
    );
    expect([...processed()].sort()).toEqual(good);
    await channel.deleteQueue(queue);
    await channel.deleteQueue(deadLetterQueue);
  });
});
