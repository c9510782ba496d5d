import type { Consumer, Kafka } from "kafkajs";
import { Inbox } from "./inbox.js";
import { decode, type OrderEvent } from "./kafka-vs-rabbitmq.js";

/** One event as a Kafka consumer saw it. */
export interface KafkaReceived {
  event: OrderEvent;
  partition: number;
  offset: number;
  member: string;
}

export interface GroupMember {
  readonly name: string;
  readonly consumer: Consumer;
  /** The partitions the group gave this member when it last joined. */
  readonly assignment: number[];
  /** Commits "everything before `nextOffset` is done" for one partition. */
  commit(partition: number, nextOffset: number): Promise<void>;
  stop(): Promise<void>;
}

// Kafka delivers at least once even without a crash: after a rebalance (a
// member that missed its heartbeats on a busy machine, say) a member
// resumes from the last committed offset, so records it already had can come
// again. A record is identified by its partition and offset, so we count
// each one at its first delivery.
/** Each record once, at its first delivery, in the order received. */
export function firstDeliveries(received: KafkaReceived[]): KafkaReceived[] {
  const seen = new Set<string>();
  return received.filter((r) => {
    const id = `${r.partition}:${r.offset}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

// A consumer group shares a topic's partitions among its members: each
// partition goes to exactly one member, so a group scales up to as many
// members as there are partitions, and any further member gets none.
// Progress is one number per partition, the committed offset: where the
// group resumes after a crash or a rebalance. A new group has no committed
// offset, and `fromBeginning` makes it start at offset 0: a replay.
export async function joinGroup(
  kafka: Kafka,
  options: {
    topic: string;
    groupId: string;
    name: string;
    /** Commit after each message (the default), or only when `commit` is called. */
    autoCommit?: boolean;
    onMessage: (received: KafkaReceived) => Promise<void> | void;
  },
): Promise<GroupMember> {
  const consumer = kafka.consumer({
    groupId: options.groupId,
    // The broker's minimum: a member that stops heartbeating (killed, frozen)
    // is dropped from the group after 6 s and its partitions reassigned.
    sessionTimeout: 6_000,
    heartbeatInterval: 500,
    maxWaitTimeInMs: 100,
  });
  let assignment: number[] = [];
  // Joining is a round trip through the group coordinator, and every join
  // makes the existing members rebalance. We wait for the GROUP_JOIN event,
  // which carries our assignment, rather than for an arbitrary time.
  const joined = new Promise<void>((resolve) => {
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      assignment = payload.memberAssignment[options.topic] ?? [];
      resolve();
    });
  });
  await consumer.connect();
  await consumer.subscribe({ topic: options.topic, fromBeginning: true });
  const autoCommit = options.autoCommit ?? true;
  await consumer.run({
    autoCommit,
    // With autoCommit, kafkajs commits each resolved offset before the next fetch.
    ...(autoCommit ? { autoCommitThreshold: 1 } : {}),
    eachMessage: async ({ partition, message }) => {
      await options.onMessage({
        event: decode(message.value),
        partition,
        offset: Number(message.offset),
        member: options.name,
      });
    },
  });
  await joined;
  return {
    name: options.name,
    consumer,
    get assignment() {
      return assignment;
    },
    commit: (partition, nextOffset) =>
      consumer.commitOffsets([{ topic: options.topic, partition, offset: String(nextOffset) }]),
    stop: () => consumer.disconnect(),
  };
}

// Every join makes the group rebalance: the members that were there join
// again and the leader shares out the partitions anew. So after starting
// several members we wait, on their GROUP_JOIN events, until their latest
// assignments cover every partition exactly once.
export async function joinSettledGroup(
  kafka: Kafka,
  options: {
    topic: string;
    groupId: string;
    partitions: number;
    names: string[];
    onMessage: (received: KafkaReceived) => Promise<void> | void;
  },
): Promise<GroupMember[]> {
  const members: GroupMember[] = [];
  const joins = new Inbox<void>();
  for (const name of options.names) {
    const member = await joinGroup(kafka, { ...options, name });
    member.consumer.on(member.consumer.events.GROUP_JOIN, () => joins.push());
    members.push(member);
  }
  const every = Array.from({ length: options.partitions }, (_, p) => p).join();
  await joins.until(
    () =>
      members
        .flatMap((m) => m.assignment)
        .sort((a, b) => a - b)
        .join() === every,
  );
  return members;
}
