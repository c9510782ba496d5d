import type { ChannelModel, ConfirmChannel } from "amqplib";
import type { Kafka } from "kafkajs";
import { ConsumerProcess } from "./consumer-process.js";
import { Inbox } from "./inbox.js";
import { createTopic, produceEvents } from "./kafka.js";
import { joinGroup, type KafkaReceived } from "./kafka-group.js";
import type { OrderEvent } from "./kafka-vs-rabbitmq.js";
import {
  bindQueue,
  consume,
  declareExchange,
  publishEvents,
  type RabbitReceived,
} from "./rabbitmq.js";

/** What a consumer crash cost on one broker. */
export interface CrashCost {
  /** The `seq` of each event the successor processed that the crashed consumer had already processed. */
  again: number[];
  /** Events processed by neither. */
  lost: number;
  /** From the kill to the successor's first message. */
  takeoverMs: number;
}

/**
 * The demo's crash, on both brokers at once: the same events in a
 * one-partition topic and in a queue, a consumer process on each that
 * processes 8 of them and is then killed with SIGKILL, and a successor on
 * each that finishes the job. The RabbitMQ consumer acks every event; the
 * Kafka one commits its offset every 5.
 */
export async function crashSideBySide(setup: {
  kafka: Kafka;
  kafkaBroker: { host: string; port: number };
  connection: ChannelModel;
  channel: ConfirmChannel;
  rabbitUrl: string;
  /** Used for the topic, the group, the exchange and the queue. */
  name: string;
  events: OrderEvent[];
  workMs: number;
  defer: (cleanup: () => unknown) => void;
  onKilled: () => void;
}): Promise<{ kafka: CrashCost & { committed: number | undefined }; rabbitmq: CrashCost }> {
  const { kafka, channel, name, events, defer } = setup;
  await createTopic(kafka, name, { partitions: 1 });
  await produceEvents(kafka, name, events);
  await declareExchange(channel, name, "topic");
  defer(() => channel.deleteExchange(name));
  await bindQueue(channel, name, name, { pattern: "order.#" });
  defer(() => channel.deleteQueue(name));
  await publishEvents(channel, name, events);

  const common = { name: "payments", workMs: setup.workMs, stallOnNth: 8 };
  const [kafkaDoomed, rabbitDoomed] = await Promise.all([
    ConsumerProcess.start({
      ...common,
      broker: "kafka",
      host: setup.kafkaBroker.host,
      port: setup.kafkaBroker.port,
      topic: name,
      groupId: name,
      commitEvery: 5,
    }),
    ConsumerProcess.start({
      ...common,
      broker: "rabbitmq",
      url: setup.rabbitUrl,
      queue: name,
      prefetch: 1,
    }),
  ]);
  defer(() => kafkaDoomed.kill());
  defer(() => rabbitDoomed.kill());
  await Promise.all(
    [kafkaDoomed, rabbitDoomed].map((p) => p.until(() => p.processed.length === 8)),
  );
  await Promise.all([kafkaDoomed.kill(), rabbitDoomed.kill()]);
  const killedAt = performance.now();
  setup.onKilled();

  // RabbitMQ put the unacked event back the moment the dead consumer's TCP
  // connection closed. Kafka's group only drops a member whose session
  // times out, so the successor's join waits for that.
  const rabbitAfter = new Inbox<RabbitReceived>();
  let rabbitTakeoverMs = 0;
  const rabbitSuccessor = await consume(setup.connection, name, {
    name: "successor",
    prefetch: 1,
    onMessage: (r) => {
      if (rabbitAfter.items.length === 0) rabbitTakeoverMs = performance.now() - killedAt;
      rabbitAfter.push(r);
      return "ack";
    },
  });
  defer(() => rabbitSuccessor.stop());
  const kafkaAfter = new Inbox<KafkaReceived>();
  let kafkaTakeoverMs = 0;
  const kafkaSuccessor = await joinGroup(kafka, {
    topic: name,
    groupId: name,
    name: "successor",
    onMessage: (r) => {
      if (kafkaAfter.items.length === 0) kafkaTakeoverMs = performance.now() - killedAt;
      kafkaAfter.push(r);
    },
  });
  defer(() => kafkaSuccessor.stop());
  await Promise.all([
    rabbitAfter.atLeast(events.length - 7),
    kafkaAfter.until((items) => items.some((r) => r.offset === events.length - 1)),
  ]);
  await rabbitSuccessor.stop();
  await kafkaSuccessor.stop();

  const cost = (before: number[], after: number[], takeoverMs: number): CrashCost => ({
    again: after.filter((seq) => before.includes(seq)),
    lost: events.filter((e) => !before.includes(e.seq) && !after.includes(e.seq)).length,
    takeoverMs,
  });
  return {
    kafka: {
      ...cost(
        kafkaDoomed.processed,
        kafkaAfter.items.map((r) => r.event.seq),
        kafkaTakeoverMs,
      ),
      committed: kafkaDoomed.commits.at(-1),
    },
    rabbitmq: cost(
      rabbitDoomed.processed,
      rabbitAfter.items.map((r) => r.event.seq),
      rabbitTakeoverMs,
    ),
  };
}
