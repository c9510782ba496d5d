import { type Admin, Kafka, logLevel, type Producer } from "kafkajs";

// kafkajs 2 warns about its partitioner change on every producer; we use the
// default partitioner knowingly.
process.env.KAFKAJS_NO_PARTITIONER_WARNING = "1";

/** A kafkajs client for `kafka://host:port`, quiet: we narrate, it does not log. */
export function kafkaClient(url: string, clientId = "playground"): Kafka {
  const { host, port } = new URL(url);
  return new Kafka({ clientId, brokers: [`${host}:${port}`], logLevel: logLevel.NOTHING });
}

/** Creates `topic` with one partition and waits until it has a leader. */
// A producer retries a send it got no clean answer to, and a retry can
// write records the first attempt already wrote: copies at new offsets,
// which every consumer then reads. An idempotent producer numbers its
// records, so the broker drops the copies (KIP-98). Only within one
// producer's life, though: a process that crashes and republishes is a new
// producer, and that copy is the consumer's to drop (see outbox.ts).
/** A producer whose own retries never duplicate a record. */
export function idempotentProducer(kafka: Kafka): Producer {
  return kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
}

export async function createTopic(admin: Admin, topic: string): Promise<void> {
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
}

/**
 * How many messages `topic` has ever received: the end offset (high
 * watermark) of its only partition. Zero means nothing was published.
 */
export async function publishedCount(admin: Admin, topic: string): Promise<number> {
  const [partition] = await admin.fetchTopicOffsets(topic);
  return Number(partition?.high ?? 0);
}
