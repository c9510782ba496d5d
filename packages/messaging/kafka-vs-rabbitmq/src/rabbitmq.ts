import type { Channel, ChannelModel, ConfirmChannel, ConsumeMessage } from "amqplib";
import { decode, encode, type OrderEvent } from "./kafka-vs-rabbitmq.js";

// RabbitMQ is a broker of queues. Producers never write to a queue
// directly: they publish to an exchange with a routing key, and the
// exchange copies the message into every queue whose binding matches.
// A queue holds a message until a consumer acks it, and then deletes it.

/** The routing key of an event: `order.<step>.<region>`, e.g. `order.paid.eu`. */
export const routingKey = (event: OrderEvent): string => `order.${event.step}.${event.region}`;

export type ExchangeKind = "topic" | "headers" | "fanout";

// The exchange decides who gets what:
// - `topic` matches the routing key against patterns, word by word:
//   `*` is exactly one word, `#` zero or more (`order.*.eu`, `order.paid.#`);
// - `headers` ignores the key and matches message headers, all of them
//   (`x-match: all`) or any one (`x-match: any`);
// - `fanout` ignores both and copies every message to every bound queue.
export async function declareExchange(
  channel: Channel,
  exchange: string,
  kind: ExchangeKind,
): Promise<void> {
  await channel.assertExchange(exchange, kind, { durable: false, autoDelete: false });
}

/** A queue of our own, bound to `exchange` by a pattern (topic) or by headers. */
export async function bindQueue(
  channel: Channel,
  exchange: string,
  queue: string,
  binding: { pattern: string } | { headers: Record<string, string> },
): Promise<void> {
  await channel.assertQueue(queue, { durable: true });
  if ("pattern" in binding) await channel.bindQueue(queue, exchange, binding.pattern);
  else await channel.bindQueue(queue, exchange, "", binding.headers);
}

// We publish each event with its routing key and, for a headers exchange,
// its step and region as headers. With publisher confirms, once
// `waitForConfirms` returns every event is in every queue it was routed to.
export async function publishEvents(
  channel: ConfirmChannel,
  exchange: string,
  events: OrderEvent[],
): Promise<void> {
  for (const event of events) {
    channel.publish(exchange, routingKey(event), encode(event), {
      persistent: true,
      headers: { step: event.step, region: event.region },
    });
  }
  await channel.waitForConfirms();
}

/** One event as a RabbitMQ consumer saw it. */
export interface RabbitReceived {
  event: OrderEvent;
  redelivered: boolean;
  consumer: string;
}

/** What a consumer does with a message: `ack` deletes it, `requeue` puts it back. */
export type Verdict = "ack" | "requeue";

// A consumer acks each message on its own. The broker deletes an acked
// message at once; a `nack` with requeue puts that one message back, and
// if the consumer's channel closes (it crashed), every message it had not
// acked goes back. Nothing else is redelivered: there is no offset to rewind.
export async function consume(
  connection: ChannelModel,
  queue: string,
  options: {
    name: string;
    prefetch: number;
    onMessage: (received: RabbitReceived, message: ConsumeMessage) => Promise<Verdict> | Verdict;
  },
): Promise<{ stop(): Promise<void> }> {
  const channel = await connection.createChannel();
  await channel.prefetch(options.prefetch);
  const { consumerTag } = await channel.consume(queue, async (message) => {
    if (!message) return;
    const received = {
      event: decode(message.content),
      redelivered: message.fields.redelivered,
      consumer: options.name,
    };
    const verdict = await options.onMessage(received, message);
    if (verdict === "ack") channel.ack(message);
    else channel.nack(message, false, true);
  });
  let stopped = false;
  return {
    async stop() {
      if (stopped) return;
      stopped = true;
      await channel.cancel(consumerTag);
      await channel.close();
    },
  };
}

/** Takes every message a queue holds right now, acking each; used where a queue has no consumer. */
export async function drain(channel: Channel, queue: string): Promise<OrderEvent[]> {
  const events: OrderEvent[] = [];
  for (;;) {
    const message = await channel.get(queue, { noAck: true });
    if (!message) return events;
    events.push(decode(message.content));
  }
}
