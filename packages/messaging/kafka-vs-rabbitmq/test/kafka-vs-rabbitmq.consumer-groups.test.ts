import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import amqp, { type ChannelModel, type ConfirmChannel } from "amqplib";
import type { Kafka } from "kafkajs";
import { Inbox } from "../src/inbox.js";
import { createTopic, kafkaClient, produceEvents } from "../src/kafka.js";
import { firstDeliveries, joinSettledGroup, type KafkaReceived } from "../src/kafka-group.js";
import { orderEvents } from "../src/kafka-vs-rabbitmq.js";
import {
  bindQueue,
  consume,
  declareExchange,
  publishEvents,
  type RabbitReceived,
} from "../src/rabbitmq.js";
import { releaseServers, server, unique } from "./helpers.js";

describe("scaling consumers: partitions in Kafka, one queue in RabbitMQ", () => {
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

  it("when a group has more members than the topic has partitions, then the extra member is assigned nothing and receives nothing", async () => {
    // Arrange: 2 partitions, 3 members in one group.
    const topic = unique("orders");
    const groupId = unique("shipping");
    await createTopic(kafka, topic, { partitions: 2 });
    const inbox = new Inbox<KafkaReceived>();
    const members = await joinSettledGroup(kafka, {
      topic,
      groupId,
      partitions: 2,
      names: ["a", "b", "c"],
      onMessage: (r) => inbox.push(r),
    });

    // Act
    const events = orderEvents(10);
    await produceEvents(kafka, topic, events);
    await inbox.until((items) => firstDeliveries(items).length >= events.length);
    // Leaving rebalances the group again, so we look before anyone leaves.
    const received = firstDeliveries(inbox.items);
    const assignments = members.map((m) => m.assignment);
    for (const member of members) await member.stop();

    // Assert
    const counts = members.map((m) => received.filter((r) => r.member === m.name).length);
    const idle = members.filter((_, i) => assignments[i]!.length === 0);
    expect(idle).toHaveLength(1);
    expect(counts.filter((c) => c === 0)).toHaveLength(1);
    expect(received.filter((r) => r.member === idle[0]!.name)).toEqual([]);
    expect(received).toHaveLength(events.length);
    expect(new Set(received.map((r) => r.partition)).size).toBe(2);
  });

  it("when three RabbitMQ consumers share one queue, then all three receive messages", async () => {
    // Arrange
    const exchange = unique("orders");
    const queue = unique("shipping");
    await declareExchange(channel, exchange, "topic");
    await bindQueue(channel, exchange, queue, { pattern: "order.#" });
    const inbox = new Inbox<RabbitReceived>();
    const consumers = [];
    for (const name of ["a", "b", "c"]) {
      consumers.push(
        await consume(connection, queue, {
          name,
          prefetch: 1,
          onMessage: async (r) => {
            await new Promise((resolve) => setImmediate(resolve));
            inbox.push(r);
            return "ack" as const;
          },
        }),
      );
    }
    const events = orderEvents(10);

    // Act
    await publishEvents(channel, exchange, events);
    await inbox.atLeast(events.length);
    for (const consumer of consumers) await consumer.stop();

    // Assert
    const counts = ["a", "b", "c"].map(
      (name) => inbox.items.filter((r) => r.consumer === name).length,
    );
    expect(counts.every((c) => c > 0)).toBe(true);
    expect(counts.reduce((a, b) => a + b)).toBe(events.length);
    await channel.deleteQueue(queue);
    await channel.deleteExchange(exchange);
  });
});
