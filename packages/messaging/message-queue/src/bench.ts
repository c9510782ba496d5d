import { defineDemo } from "@playground/kit";
import amqp, { type ConfirmChannel } from "amqplib";

// `pnpm bench message-queue`: how fast can a producer hand messages to
// RabbitMQ when it insists on a publisher confirm for every one? We publish
// the same 1 KiB message to a durable queue, transient or persistent, and
// either wait for each confirm before the next publish or keep a batch of
// them in flight and wait for the whole batch.

const BODY = Buffer.alloc(1024, "x");
const BATCH = 500;
const ROUNDS = 3;

type Mode = "one at a time" | `batches of ${number}`;

async function publishRun(
  channel: ConfirmChannel,
  queue: string,
  count: number,
  persistent: boolean,
  mode: Mode,
): Promise<number> {
  const started = performance.now();
  if (mode === "one at a time") {
    for (let i = 0; i < count; i++) {
      await new Promise<void>((resolve, reject) =>
        channel.sendToQueue(queue, BODY, { persistent }, (error) =>
          error ? reject(error) : resolve(),
        ),
      );
    }
  } else {
    for (let sent = 0; sent < count; sent += BATCH) {
      for (let i = 0; i < Math.min(BATCH, count - sent); i++) {
        channel.sendToQueue(queue, BODY, { persistent });
      }
      await channel.waitForConfirms();
    }
  }
  return count / ((performance.now() - started) / 1000);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export default defineDemo({
  title: "Message queue: publish throughput with confirms",
  services: ["rabbitmq"],
  async run(ctx) {
    const connection = await amqp.connect(ctx.services.rabbitmq.url);
    ctx.defer(() => connection.close());
    const channel = await connection.createConfirmChannel();
    const queue = `bench-${process.pid}`;
    await channel.assertQueue(queue, { durable: true });
    ctx.defer(() => channel.deleteQueue(queue));

    const scale = ctx.fast ? 0.1 : 1;
    const cases: { persistent: boolean; mode: Mode; count: number }[] = [
      { persistent: false, mode: "one at a time", count: 1_000 * scale },
      { persistent: true, mode: "one at a time", count: 500 * scale },
      { persistent: false, mode: `batches of ${BATCH}`, count: 10_000 * scale },
      { persistent: true, mode: `batches of ${BATCH}`, count: 10_000 * scale },
    ];
    ctx.say(
      `Publishing ${BODY.length}-byte messages to a durable queue with publisher confirms; ` +
        `median of ${ROUNDS} rounds per case.`,
    );
    const rows = [];
    const rates = new Map<string, number>();
    for (const { persistent, mode, count } of cases) {
      const runs: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        ctx.signal.throwIfAborted();
        runs.push(await publishRun(channel, queue, count, persistent, mode));
        await channel.purgeQueue(queue);
      }
      const rate = Math.round(median(runs));
      const name = `${persistent ? "persistent" : "transient"}, confirms ${mode}`;
      rates.set(name, rate);
      ctx.metric(name, rate, "msg/s");
      rows.push({
        messages: persistent ? "persistent" : "transient",
        confirms: mode,
        "per round": count,
        "median msg/s": rate,
        "min msg/s": Math.round(Math.min(...runs)),
        "max msg/s": Math.round(Math.max(...runs)),
      });
    }
    ctx.table(rows);
    const batched = rates.get(`persistent, confirms batches of ${BATCH}`)!;
    const single = rates.get("persistent, confirms one at a time")!;
    ctx.metric(
      "persistent: batched confirms vs one at a time",
      Math.round((batched / single) * 10) / 10,
      "x",
    );
    ctx.claim("keeping confirms in flight is faster than waiting for each one", batched > single);
  },
});
