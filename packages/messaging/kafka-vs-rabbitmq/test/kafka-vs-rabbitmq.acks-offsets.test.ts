import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import type { ServiceHandle } from "@playground/kit";
import amqp, { type ChannelModel, type ConfirmChannel } from "amqplib";
import type { Kafka } from "kafkajs";
import { ConsumerProcess } from "../src/consumer-process.js";
import { Inbox } from "../src/inbox.js";
import { createTopic, kafkaClient, produceEvents } from "../src/kafka.js";
import { joinGroup, type KafkaReceived } from "../src/kafka-group.js";
import { orderEvents } from "../src/kafka-vs-rabbitmq.js";
import {
  bindQueue,
  consume,
  declareExchange,
  publishEvents,
  type RabbitReceived,
} from "../src/rabbitmq.js";
import { releaseServers, server, unique } from "./helpers.js";

// Progress, and what a crash costs. A RabbitMQ consumer acks each message;
// a Kafka consumer commits one offset per partition. The consumers that
// crash are real processes, killed with SIGKILL.
describe("per-message acks in RabbitMQ, offset commits in Kafka", () => {
  const events = orderEvents(5); // 15 events
  const seqs = events.map((e) => e.seq);
  let kafkaBroker: ServiceHandle;
  let kafka: Kafka;
  let connection: ChannelModel;
  let channel: ConfirmChannel;
  let processes: ConsumerProcess[] = [];

  beforeAll(async () => {
    kafkaBroker = await server("kafka");
    kafka = kafkaClient(kafkaBroker);
    connection = await amqp.connect((await server("rabbitmq")).url);
    channel = await connection.createConfirmChannel();
  });

  afterEach(async () => {
    for (const p of processes) await p.kill();
    processes = [];
  });

  afterAll(async () => {
    await connection?.close();
    await releaseServers();
  });

  async function rabbitQueueWithEvents(): Promise<{ exchange: string; queue: string }> {
    const exchange = unique("orders");
    const queue = unique("shipping");
    await declareExchange(channel, exchange, "topic");
    await bindQueue(channel, exchange, queue, { pattern: "order.#" });
    await publishEvents(channel, exchange, events);
    return { exchange, queue };
  }

  const duplicates = (processed: number[]) => processed.length - new Set(processed).size;
  const lost = (processed: number[]) => seqs.filter((s) => !processed.includes(s)).length;

  it("when a Kafka consumer process is killed before committing, then a new member of its group re-reads everything since the last committed offset", async () => {
    // Arrange: commits every 5 messages; hangs after processing the 8th.
    const topic = unique("orders");
    const groupId = unique("shipping");
    await createTopic(kafka, topic, { partitions: 1 });
    await produceEvents(kafka, topic, events);
    const doomed = await ConsumerProcess.start({
      broker: "kafka",
      name: "doomed",
      host: kafkaBroker.host,
      port: kafkaBroker.port,
      topic,
      groupId,
      commitEvery: 5,
      stallOnNth: 8,
      workMs: 5,
    });
    processes.push(doomed);
    await doomed.until(() => doomed.processed.length === 8);

    // Act
    await doomed.kill();
    const inbox = new Inbox<KafkaReceived>();
    const successor = await joinGroup(kafka, {
      topic,
      groupId,
      name: "successor",
      onMessage: (r) => inbox.push(r),
    });
    await inbox.until((items) => items.some((r) => r.offset === events.length - 1));
    await successor.stop();

    // Assert
    const reread = inbox.items.map((r) => r.event.seq);
    const processed = [...doomed.processed, ...reread];
    expect(doomed.commits).toEqual([5]);
    expect(inbox.items[0]?.offset).toBe(5);
    expect(reread.filter((s) => doomed.processed.includes(s))).toEqual([6, 7, 8]);
    expect(lost(processed)).toBe(0);
    expect(duplicates(processed)).toBe(3);
  });

  it("when a RabbitMQ consumer process is killed, then only the message it had not acked is redelivered", async () => {
    // Arrange: prefetch 1, acks each message; hangs after processing the 8th.
    const { exchange, queue } = await rabbitQueueWithEvents();
    const doomed = await ConsumerProcess.start({
      broker: "rabbitmq",
      name: "doomed",
      url: (await server("rabbitmq")).url,
      queue,
      prefetch: 1,
      stallOnNth: 8,
      workMs: 5,
    });
    processes.push(doomed);
    await doomed.until(() => doomed.processed.length === 8);

    // Act
    await doomed.kill();
    const inbox = new Inbox<RabbitReceived>();
    const successor = await consume(connection, queue, {
      name: "successor",
      prefetch: 1,
      onMessage: (r) => {
        inbox.push(r);
        return "ack";
      },
    });
    await inbox.atLeast(events.length - 7);
    await successor.stop();

    // Assert
    const processed = [...doomed.processed, ...inbox.items.map((r) => r.event.seq)];
    expect(inbox.items.filter((r) => r.redelivered).map((r) => r.event.seq)).toEqual([8]);
    expect(lost(processed)).toBe(0);
    expect(duplicates(processed)).toBe(1);
    expect((await channel.checkQueue(queue)).messageCount).toBe(0);
    await channel.deleteQueue(queue);
    await channel.deleteExchange(exchange);
  });

  it("when a RabbitMQ consumer nacks one message with requeue, then only that message comes back", async () => {
    // Arrange
    const { exchange, queue } = await rabbitQueueWithEvents();
    const inbox = new Inbox<RabbitReceived>();

    // Act: the first delivery of event 3 fails; everything else succeeds.
    const consumer = await consume(connection, queue, {
      name: "shipping",
      prefetch: 1,
      onMessage: (r) => {
        inbox.push(r);
        return r.event.seq === 3 && !r.redelivered ? "requeue" : "ack";
      },
    });
    await inbox.atLeast(events.length + 1);
    await consumer.stop();

    // Assert
    expect(inbox.items).toHaveLength(events.length + 1);
    expect(inbox.items.filter((r) => r.redelivered).map((r) => r.event.seq)).toEqual([3]);
    expect(new Set(inbox.items.map((r) => r.event.seq)).size).toBe(events.length);
    await channel.deleteQueue(queue);
    await channel.deleteExchange(exchange);
  });

  it("when a Kafka consumer commits an offset past a message it failed, then its group never reads that message again", async () => {
    // Arrange: event 3 fails, but offsets are one number per partition, so
    // committing after the last event also commits past event 3.
    const topic = unique("orders");
    const groupId = unique("shipping");
    await createTopic(kafka, topic, { partitions: 1 });
    await produceEvents(kafka, topic, events);
    const inbox = new Inbox<KafkaReceived>();
    const first = await joinGroup(kafka, {
      topic,
      groupId,
      name: "first",
      autoCommit: false,
      onMessage: (r) => {
        if (r.event.seq !== 3) inbox.push(r);
      },
    });
    await inbox.atLeast(events.length - 1);
    await first.commit(0, events.length);
    await first.stop();

    // Act: a marker event, so the next member has something to read.
    const marker = { ...events[0]!, seq: 100 };
    await produceEvents(kafka, topic, [marker]);
    const next = new Inbox<KafkaReceived>();
    const second = await joinGroup(kafka, {
      topic,
      groupId,
      name: "second",
      onMessage: (r) => next.push(r),
    });
    await next.atLeast(1);
    await second.stop();

    // Assert
    expect(inbox.items.map((r) => r.event.seq)).not.toContain(3);
    expect(next.items.map((r) => r.event.seq)).toEqual([100]);
    expect(next.items[0]?.offset).toBe(events.length);
  });
});
