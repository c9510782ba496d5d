import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import amqp, { type ChannelModel, type ConfirmChannel } from "amqplib";
import type { Kafka } from "kafkajs";
import { Inbox } from "../src/inbox.js";
import { createTopic, kafkaClient, produceEvents } from "../src/kafka.js";
import { firstDeliveries, joinGroup, type KafkaReceived } from "../src/kafka-group.js";
import { type OrderEvent, orderEvents, stepsByOrder } from "../src/kafka-vs-rabbitmq.js";
import {
  bindQueue,
  consume,
  declareExchange,
  publishEvents,
  type RabbitReceived,
} from "../src/rabbitmq.js";
import { releaseServers, server, unique } from "./helpers.js";

describe("ordering: per partition in Kafka, per queue in RabbitMQ", () => {
  const ORDERS = 8;
  let kafka: Kafka;
  let events: OrderEvent[];
  let received: KafkaReceived[];

  // Arrange and Act, shared by the two Kafka tests: 8 orders × 3 steps,
  // produced interleaved and keyed by order id into 3 partitions, then read
  // from the beginning by one consumer once all of them are in.
  beforeAll(async () => {
    kafka = kafkaClient(await server("kafka"));
    const topic = unique("orders");
    events = orderEvents(ORDERS);
    await createTopic(kafka, topic, { partitions: 3 });
    await produceEvents(kafka, topic, events);
    const inbox = new Inbox<KafkaReceived>();
    const member = await joinGroup(kafka, {
      topic,
      groupId: unique("shipping"),
      name: "shipping",
      onMessage: (r) => inbox.push(r),
    });
    await inbox.until((items) => firstDeliveries(items).length >= events.length);
    await member.stop();
    received = firstDeliveries(inbox.items);
  });

  afterAll(async () => {
    await releaseServers();
  });

  it("when events are keyed by order id, then every order's events arrive in the order they were produced", () => {
    const consumed = stepsByOrder(received.map((r) => r.event));
    expect(consumed.size).toBe(ORDERS);
    expect(consumed).toEqual(stepsByOrder(events));
    // and one order's events all sit in one partition
    const partitionsPerOrder = new Map<string, Set<number>>();
    for (const r of received) {
      partitionsPerOrder.set(
        r.event.orderId,
        (partitionsPerOrder.get(r.event.orderId) ?? new Set()).add(r.partition),
      );
    }
    expect([...partitionsPerOrder.values()].every((p) => p.size === 1)).toBe(true);
  });

  it("when the events span several partitions, then one consumer sees them in an order that differs from the production order", () => {
    const partitions = new Set(received.map((r) => r.partition));
    const seqs = received.map((r) => r.event.seq);
    expect(partitions.size).toBeGreaterThan(1);
    expect(seqs).toHaveLength(events.length);
    expect(new Set(seqs).size).toBe(events.length);
    expect(seqs).not.toEqual(events.map((e) => e.seq));
    // within each partition, offsets and production order agree
    for (const p of partitions) {
      const inPartition = received.filter((r) => r.partition === p);
      const bySeq = [...inPartition].sort((a, b) => a.event.seq - b.event.seq);
      expect(inPartition.map((r) => r.offset)).toEqual(bySeq.map((r) => r.offset));
    }
  });

  describe("RabbitMQ", () => {
    let connection: ChannelModel;
    let channel: ConfirmChannel;

    beforeAll(async () => {
      connection = await amqp.connect((await server("rabbitmq")).url);
      channel = await connection.createConfirmChannel();
    });

    afterAll(async () => {
      await connection?.close();
    });

    it("when one queue has one consumer, then it delivers every event in the global publish order", async () => {
      // Arrange
      const exchange = unique("orders");
      const queue = unique("shipping");
      await declareExchange(channel, exchange, "topic");
      await bindQueue(channel, exchange, queue, { pattern: "order.#" });
      await publishEvents(channel, exchange, events);
      const inbox = new Inbox<RabbitReceived>();

      // Act
      const consumer = await consume(connection, queue, {
        name: "shipping",
        prefetch: 50,
        onMessage: (r) => {
          inbox.push(r);
          return "ack";
        },
      });
      await inbox.atLeast(events.length);
      await consumer.stop();

      // Assert
      expect(inbox.items.map((r) => r.event.seq)).toEqual(events.map((e) => e.seq));
      await channel.deleteQueue(queue);
      await channel.deleteExchange(exchange);
    });
  });
});
