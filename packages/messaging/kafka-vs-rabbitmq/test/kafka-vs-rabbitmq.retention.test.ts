import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import amqp, { type ChannelModel, type ConfirmChannel } from "amqplib";
import type { Kafka } from "kafkajs";
import { Inbox } from "../src/inbox.js";
import { createTopic, kafkaClient, produceEvents, retentionMs } from "../src/kafka.js";
import {
  firstDeliveries,
  type GroupMember,
  joinGroup,
  type KafkaReceived,
} from "../src/kafka-group.js";
import { orderEvents } from "../src/kafka-vs-rabbitmq.js";
import {
  bindQueue,
  consume,
  declareExchange,
  drain,
  publishEvents,
  type RabbitReceived,
} from "../src/rabbitmq.js";
import { releaseServers, server, unique } from "./helpers.js";

describe("Kafka retains what was consumed; RabbitMQ deletes it", () => {
  let kafka: Kafka;
  let connection: ChannelModel;
  let channel: ConfirmChannel;

  beforeAll(async () => {
    kafka = kafkaClient(await server("kafka"));
    connection = await amqp.connect((await server("rabbitmq")).url);
    channel = await connection.createConfirmChannel();
  });

  afterAll(async () => {
    await connection?.close();
    await releaseServers();
  });

  /** Reads `count` events with a fresh member of `groupId`, then leaves. */
  async function readWithGroup(topic: string, groupId: string, count: number) {
    const inbox = new Inbox<KafkaReceived>();
    const member: GroupMember = await joinGroup(kafka, {
      topic,
      groupId,
      name: groupId,
      onMessage: (r) => inbox.push(r),
    });
    await inbox.until((items) => firstDeliveries(items).length >= count);
    await member.stop();
    return firstDeliveries(inbox.items);
  }

  it("when a new consumer group subscribes after the events were consumed, then Kafka replays every one from offset 0", async () => {
    // Arrange
    const topic = unique("orders");
    const events = orderEvents(4);
    await createTopic(kafka, topic, { partitions: 1 });
    await produceEvents(kafka, topic, events);
    const first = await readWithGroup(topic, unique("billing"), events.length);

    // Act
    const late = await readWithGroup(topic, unique("analytics"), events.length);

    // Assert
    expect(first.map((r) => r.event)).toEqual(events);
    expect(late.map((r) => r.event)).toEqual(events);
    expect(late[0]?.offset).toBe(0);
  });

  it("when a topic is created, then its messages are kept for its retention.ms, consumed or not: 7 days by default", async () => {
    // Arrange
    const [hour, byDefault] = [unique("orders"), unique("orders")];

    // Act
    await createTopic(kafka, hour, { partitions: 1, retentionMs: 3_600_000 });
    await createTopic(kafka, byDefault, { partitions: 1 });

    // Assert
    expect(await retentionMs(kafka, hour)).toBe(3_600_000);
    expect(await retentionMs(kafka, byDefault)).toBe(7 * 24 * 3_600_000);
  });

  it("when RabbitMQ messages have been acked, then a late consumer of the same queue finds nothing", async () => {
    // Arrange
    const exchange = unique("orders");
    const queue = unique("billing");
    const events = orderEvents(4);
    await declareExchange(channel, exchange, "topic");
    await bindQueue(channel, exchange, queue, { pattern: "order.#" });
    await publishEvents(channel, exchange, events);
    const inbox = new Inbox<RabbitReceived>();
    const first = await consume(connection, queue, {
      name: "billing",
      prefetch: 10,
      onMessage: (r) => {
        inbox.push(r);
        return "ack";
      },
    });
    await inbox.atLeast(events.length);
    await first.stop();

    // Act
    const late = await drain(channel, queue);

    // Assert
    expect(inbox.items.map((r) => r.event)).toEqual(events);
    expect(late).toEqual([]);
    expect((await channel.checkQueue(queue)).messageCount).toBe(0);
    await channel.deleteQueue(queue);
    await channel.deleteExchange(exchange);
  });

  it("when a RabbitMQ queue is bound after the events were published, then it receives none of them", async () => {
    // Arrange
    const exchange = unique("orders");
    const events = orderEvents(4);
    const earlyQueue = unique("billing");
    await declareExchange(channel, exchange, "topic");
    await bindQueue(channel, exchange, earlyQueue, { pattern: "order.#" });
    await publishEvents(channel, exchange, events);

    // Act
    const lateQueue = unique("analytics");
    await bindQueue(channel, exchange, lateQueue, { pattern: "order.#" });
    const late = await drain(channel, lateQueue);

    // Assert
    expect(late).toEqual([]);
    expect((await channel.checkQueue(earlyQueue)).messageCount).toBe(events.length);
    await channel.deleteQueue(earlyQueue);
    await channel.deleteQueue(lateQueue);
    await channel.deleteExchange(exchange);
  });
});
