// One consumer, Kafka or RabbitMQ, as a process of its own, so that a test
// or the demo can kill it for real (SIGKILL: no `finally`, no commit, no
// goodbye). It reports to its parent over Node's IPC channel.
import { setTimeout as sleep } from "node:timers/promises";
import amqp from "amqplib";
import type { ConsumerConfig, ConsumerEvent } from "./consumer-process.js";
import { kafkaClient } from "./kafka.js";
import { joinGroup } from "./kafka-group.js";
import { consume } from "./rabbitmq.js";

const config = JSON.parse(process.argv[2] ?? "{}") as ConsumerConfig;
const report = (event: ConsumerEvent) => process.send?.(event);
const hang = () => new Promise<never>(() => {});
let count = 0;

if (config.broker === "kafka") {
  // No auto-commit: we commit every `commitEvery` messages, as a consumer
  // that batches its commits does. A crash loses the uncommitted tail of
  // progress, not the messages: the group will read them again.
  const member = await joinGroup(kafkaClient(config), {
    topic: config.topic,
    groupId: config.groupId,
    name: config.name,
    autoCommit: false,
    async onMessage({ event, partition, offset }) {
      count++;
      await sleep(config.workMs);
      report({ kind: "processed", seq: event.seq, offset });
      if (count === config.stallOnNth) await hang();
      if (count % config.commitEvery === 0) {
        await member.commit(partition, offset + 1);
        report({ kind: "committed", nextOffset: offset + 1 });
      }
    },
  });
  report({ kind: "ready" });
} else {
  const connection = await amqp.connect(config.url);
  await consume(connection, config.queue, {
    name: config.name,
    prefetch: config.prefetch,
    async onMessage({ event, redelivered }) {
      count++;
      await sleep(config.workMs);
      report({ kind: "processed", seq: event.seq, redelivered });
      if (count === config.stallOnNth) await hang();
      return "ack" as const;
    },
  });
  report({ kind: "ready" });
}

// If our parent goes away, so do we.
process.on("disconnect", () => process.exit(0));
