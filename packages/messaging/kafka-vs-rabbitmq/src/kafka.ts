import { setTimeout as sleep } from "node:timers/promises";
import { type Admin, type ConfigResourceTypes, Kafka, logLevel } from "kafkajs";
import { encode, type OrderEvent } from "./kafka-vs-rabbitmq.js";

// Kafka is a log. A topic is split into partitions; each partition is an
// append-only file on the broker, and every message in it has an offset:
// 0, 1, 2, … Producing appends. Consuming is reading from an offset, and
// reading moves nothing and deletes nothing.

/** A kafkajs client for one broker (`host:port`), quiet unless something is wrong. */
export function kafkaClient(
  broker: { host: string; port: number },
  clientId = "playground",
): Kafka {
  return new Kafka({
    clientId,
    brokers: [`${broker.host}:${broker.port}`],
    logLevel: logLevel.NOTHING,
  });
}

// We create each topic ourselves, with its partitions and its retention,
// and wait for every partition to have a leader before we produce: a
// single fresh broker auto-creates topics with one partition, and the
// first writes to a topic with no leader yet fail. kafkajs's own
// `waitForLeaders` gives up when the new topic is still unknown to the
// broker's metadata for a moment, so we wait ourselves.
export async function createTopic(
  kafka: Kafka,
  topic: string,
  options: { partitions: number; retentionMs?: number },
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: false,
      topics: [
        {
          topic,
          numPartitions: options.partitions,
          configEntries:
            options.retentionMs === undefined
              ? []
              : [{ name: "retention.ms", value: String(options.retentionMs) }],
        },
      ],
    });
    await untilLeadersElected(admin, topic, options.partitions);
  } finally {
    await admin.disconnect();
  }
}

// Kafka announces no event when a partition gets its leader, so we ask the
// metadata until every partition has one, as other clients' test suites do.
async function untilLeadersElected(admin: Admin, topic: string, partitions: number) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ready = await admin.fetchTopicMetadata({ topics: [topic] }).then(
      ({ topics }) => {
        const found = topics[0]?.partitions ?? [];
        return found.length === partitions && found.every((p) => p.leader >= 0);
      },
      () => false, // UNKNOWN_TOPIC_OR_PARTITION, LEADER_NOT_AVAILABLE: not yet
    );
    if (ready) return;
    if (Date.now() > deadline) {
      throw new Error(
        `Topic ${topic} has no leader for every partition after 30 s: is the broker up?`,
      );
    }
    await sleep(50);
  }
}

// kafkajs's `ConfigResourceTypes` enum is not among the names Node can
// import from its CommonJS build, so we spell out its value for a topic.
const TOPIC: ConfigResourceTypes.TOPIC = 2;

// A message leaves the log when the topic's retention says so (by age,
// `retention.ms`, 7 days by default, or by size, `retention.bytes`), never
// because someone read it. The broker reports the setting per topic.
export async function retentionMs(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: TOPIC, name: topic, configNames: ["retention.ms"] }],
    });
    return Number(resources[0]?.configEntries[0]?.configValue);
  } finally {
    await admin.disconnect();
  }
}

/** How many messages the topic's partitions hold right now, read or not. */
export async function messagesInLog(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
}

// The key picks the partition: the default partitioner hashes it
// (murmur2, like the Java client), so all events of one order land in the
// same partition, in the order we sent them. `acks: -1` waits for every
// in-sync replica; on our single broker that is the leader's own write.
// The producer is idempotent: a plain one retried a send on a loaded
// machine and wrote some records twice, at new offsets (3 times in 15
// full test runs); this one numbers its records and the broker drops copies.
export async function produceEvents(
  kafka: Kafka,
  topic: string,
  events: OrderEvent[],
): Promise<void> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    await producer.send({
      topic,
      acks: -1,
      messages: events.map((event) => ({ key: event.orderId, value: encode(event) })),
    });
  } finally {
    await producer.disconnect();
  }
}
