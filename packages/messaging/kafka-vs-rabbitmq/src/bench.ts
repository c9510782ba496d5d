import { defineDemo } from "@playground/kit";
import amqp from "amqplib";
import { createTopic, kafkaClient } from "./kafka.js";

// `pnpm bench kafka-vs-rabbitmq`: the same 1 KiB messages through both
// brokers, both started by the kit on this machine. Each side sends in
// batches of 500 and waits for the broker to take each batch: Kafka with
// `acks: -1`, RabbitMQ with persistent messages and publisher confirms into
// a durable queue. Each side then reads them all back, one consumer, from
// the first message received to the last.

const BODY = Buffer.alloc(1024, "x");
const BATCH = 500;
const ROUNDS = 3;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const rate = (count: number, ms: number) => Math.round(count / (ms / 1000));

export default defineDemo({
  title: "Kafka vs RabbitMQ: throughput",
  services: ["kafka", "rabbitmq"],
  async run(ctx) {
    const count = ctx.fast ? 2_000 : 20_000;
    const kafka = kafkaClient(ctx.services.kafka);
    const connection = await amqp.connect(ctx.services.rabbitmq.url);
    ctx.defer(() => connection.close());
    const channel = await connection.createConfirmChannel();
    ctx.say(
      `${count} messages of ${BODY.length} bytes per round, batches of ${BATCH}, ` +
        `median of ${ROUNDS} rounds.`,
    );

    const results = {
      "kafka produce": [] as number[],
      "kafka consume": [] as number[],
      "rabbitmq publish": [] as number[],
      "rabbitmq consume": [] as number[],
    };
    for (let round = 1; round <= ROUNDS; round++) {
      ctx.signal.throwIfAborted();

      // Kafka: one partition, so one consumer reads it all, as from one queue.
      const topic = `bench-${process.pid}-${round}`;
      await createTopic(kafka, topic, { partitions: 1 });
      const producer = kafka.producer();
      ctx.defer(() => producer.disconnect());
      await producer.connect();
      let started = performance.now();
      for (let sent = 0; sent < count; sent += BATCH) {
        await producer.send({
          topic,
          acks: -1,
          messages: Array.from({ length: Math.min(BATCH, count - sent) }, () => ({ value: BODY })),
        });
      }
      results["kafka produce"].push(rate(count, performance.now() - started));
      await producer.disconnect();

      const consumer = kafka.consumer({ groupId: `${topic}-reader`, maxWaitTimeInMs: 100 });
      ctx.defer(() => consumer.disconnect());
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      let read = 0;
      let first = 0;
      const done = new Promise<number>((resolve) => {
        void consumer.run({
          eachMessage: async () => {
            if (read++ === 0) first = performance.now();
            if (read === count) resolve(performance.now() - first);
          },
        });
      });
      results["kafka consume"].push(rate(count - 1, await done));
      await consumer.disconnect();

      // RabbitMQ: one durable queue, persistent messages, confirms per batch.
      const queue = `bench-${process.pid}-${round}`;
      await channel.assertQueue(queue, { durable: true });
      started = performance.now();
      for (let sent = 0; sent < count; sent += BATCH) {
        for (let i = 0; i < Math.min(BATCH, count - sent); i++) {
          channel.sendToQueue(queue, BODY, { persistent: true });
        }
        await channel.waitForConfirms();
      }
      results["rabbitmq publish"].push(rate(count, performance.now() - started));

      const reader = await connection.createChannel();
      await reader.prefetch(BATCH);
      let received = 0;
      const drained = new Promise<number>((resolve) => {
        void reader.consume(queue, (message) => {
          if (!message) return;
          if (received++ === 0) first = performance.now();
          reader.ack(message);
          if (received === count) resolve(performance.now() - first);
        });
      });
      results["rabbitmq consume"].push(rate(count - 1, await drained));
      await reader.close();
      await channel.deleteQueue(queue);
    }

    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({
      topics: Array.from({ length: ROUNDS }, (_, i) => `bench-${process.pid}-${i + 1}`),
    });
    await admin.disconnect();

    const rows = [];
    for (const [name, runs] of Object.entries(results)) {
      const value = median(runs);
      ctx.metric(name, value, "msg/s");
      rows.push({
        broker: name.split(" ")[0]!,
        step: name.split(" ")[1]!,
        "median msg/s": value,
        "median MiB/s": Math.round(((value * BODY.length) / 1024 / 1024) * 10) / 10,
        "min msg/s": Math.min(...runs),
        "max msg/s": Math.max(...runs),
      });
    }
    ctx.table(rows);
  },
});
