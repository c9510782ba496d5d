import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { type ServiceHandle, services } from "@playground/kit";
import amqp from "amqplib";
import { declareWorkQueue, makeOrders, publishOrders } from "../src/message-queue.js";
import { unique } from "./helpers.js";

type Case = { durable: boolean; persistent: boolean };
type Count = number | "queue gone";

// These tests restart the broker, so they get one of their own. A restart
// takes several seconds, so one restart serves all three cases: each case
// has its own queue, filled with 100 confirmed orders before it.
describe("durability across a broker restart", () => {
  const ORDERS = 100;
  const cases = {
    durablePersistent: { durable: true, persistent: true },
    durableTransient: { durable: true, persistent: false },
    transientQueue: { durable: false, persistent: true },
  } satisfies Record<string, Case>;
  type Name = keyof typeof cases;
  let rabbitmq: ServiceHandle;
  let crashQueue: string;
  let afterCrash: Count;
  const queues = {} as Record<Name, string>;
  const before = {} as Record<Name, Count>;
  const after = {} as Record<Name, Count>;

  async function depth(url: string, queue: string): Promise<Count> {
    const connection = await amqp.connect(url);
    try {
      const channel = await connection.createChannel();
      // Asking for a queue that does not exist closes the channel with a 404.
      channel.on("error", () => {});
      return await channel.checkQueue(queue).then(
        (q) => q.messageCount,
        (error: { code?: number }) => {
          if (error.code === 404) return "queue gone" as const;
          throw error;
        },
      );
    } finally {
      await connection?.close();
    }
  }

  beforeAll(async () => {
    // Arrange
    rabbitmq = await services.rabbitmq({ dedicated: true });
    const connection = await amqp.connect(rabbitmq.url);
    const channel = await connection.createConfirmChannel();
    for (const [name, { durable, persistent }] of Object.entries(cases) as [Name, Case][]) {
      queues[name] = unique(name);
      await declareWorkQueue(channel, queues[name], { durable });
      await publishOrders(channel, queues[name], makeOrders(ORDERS), { persistent });
    }
    // Declared now, filled after the restart: see the crash below.
    crashQueue = unique("crash");
    await declareWorkQueue(channel, crashQueue, { durable: true });
    await connection?.close();
    for (const name of Object.keys(cases) as Name[]) {
      before[name] = await depth(rabbitmq.url, queues[name]);
    }

    // Act
    await rabbitmq.restart();
    for (const name of Object.keys(cases) as Name[]) {
      after[name] = await depth(rabbitmq.url, queues[name]);
    }

    // And a crash: SIGKILL the moment the last confirm arrives, no clean
    // shutdown. The queue was declared before the clean restart: a queue
    // declared moments before a SIGKILL was, once in our runs under load,
    // gone after it, confirmed messages and all (see the README).
    const producer = await amqp.connect(rabbitmq.url);
    const lost = new Promise((resolve) => producer.on("close", resolve));
    producer.on("error", () => {}); // the crash resets its socket
    const confirmed = await producer.createConfirmChannel();
    await publishOrders(confirmed, crashQueue, makeOrders(ORDERS), { persistent: true });
    await rabbitmq.kill();
    await lost;
    await rabbitmq.start();
    afterCrash = await depth(rabbitmq.url, crashQueue);
  }, 240_000);

  afterAll(async () => {
    await rabbitmq?.[Symbol.asyncDispose]();
  });

  it("when a durable queue holds persistent messages, then every one survives a broker restart", () => {
    expect(before.durablePersistent).toBe(ORDERS);
    expect(after.durablePersistent).toBe(ORDERS);
  });

  it("when the broker is killed right after confirming persistent messages, then every confirmed message is still there", () => {
    expect(afterCrash).toBe(ORDERS);
  });

  it("when a durable queue holds transient messages, then the queue survives a restart but every message is lost", () => {
    expect(before.durableTransient).toBe(ORDERS);
    expect(after.durableTransient).toBe(0);
  });

  it("when a queue is not durable, then a restart loses the queue and its messages, even persistent ones", () => {
    expect(before.transientQueue).toBe(ORDERS);
    expect(after.transientQueue).toBe("queue gone");
  });
});
