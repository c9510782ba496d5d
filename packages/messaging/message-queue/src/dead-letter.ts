import type { Channel, ConsumeMessage } from "amqplib";
import { decode, type Order } from "./message-queue.js";

// A poison message fails every time it is tried: a malformed payload, an
// order for a product that no longer exists. Requeued for ever, it is
// retried in a loop, burning a worker on every turn. So after a bounded
// number of attempts we move it aside, into a dead-letter queue (DLQ),
// where a person or a repair job can look at it, and the queue moves on.
//
// RabbitMQ gives us two ways to count the attempts:
//
// - a classic queue has no counter, so the consumer keeps one in a header:
//   it republishes the message with `retries + 1`, and past the limit it
//   `nack`s with `requeue: false`, which routes it to the queue's
//   dead-letter exchange. The consumer does the counting;
// - a quorum queue counts deliveries itself (`x-delivery-count`) and, with
//   `x-delivery-limit`, dead-letters a message returned more often than that.
//
// We use the quorum queue. The broker's count includes the deliveries
// whose consumer died before it could nack: a message that crashes every
// worker that takes it never reaches a line of code that could bump a header.

export interface DeadLetterPair {
  queue: string;
  deadLetterQueue: string;
}

/**
 * A durable quorum queue `queue` that dead-letters a message once it has been
 * returned more than `deliveryLimit` times, into the classic queue `<queue>.dlq`.
 */
export async function declareWithDeadLetter(
  channel: Channel,
  queue: string,
  deliveryLimit: number,
): Promise<DeadLetterPair> {
  const deadLetterQueue = `${queue}.dlq`;
  await channel.assertQueue(deadLetterQueue, { durable: true });
  await channel.assertQueue(queue, {
    durable: true,
    arguments: {
      "x-queue-type": "quorum",
      "x-delivery-limit": deliveryLimit,
      // The default exchange routes by queue name: straight to the DLQ.
      "x-dead-letter-exchange": "",
      "x-dead-letter-routing-key": deadLetterQueue,
    },
  });
  return { queue, deadLetterQueue };
}

/** What the broker wrote on a dead-lettered message: why, from where, and how often. */
export interface DeadLetter {
  order: Order;
  reason: string;
  from: string;
  /** `x-delivery-count` at the last delivery: returns before it was dead-lettered. */
  deliveryCount: number | undefined;
}

// Dead-lettering adds an `x-death` header: one entry per queue and reason,
// newest first. For a quorum queue over its limit the reason is
// `delivery_limit`; a `nack` without requeue would say `rejected`, and an
// expired TTL `expired`.
export function readDeadLetter(message: ConsumeMessage): DeadLetter {
  const headers = message.properties.headers ?? {};
  const [death] = (headers["x-death"] ?? []) as { reason: string; queue: string }[];
  return {
    order: decode(message),
    reason: death?.reason ?? "unknown",
    from: death?.queue ?? "unknown",
    deliveryCount: headers["x-delivery-count"] as number | undefined,
  };
}

/** Resolves with the first message that lands in `deadLetterQueue`, acked. */
export async function nextDeadLetter(
  channel: Channel,
  deadLetterQueue: string,
): Promise<DeadLetter> {
  let taken = false;
  return new Promise((resolve, reject) => {
    channel
      .consume(deadLetterQueue, (message) => {
        // Only the first: any later one goes back to the DLQ when we cancel.
        if (!message || taken) return;
        taken = true;
        channel.ack(message);
        channel.cancel(message.fields.consumerTag).catch(() => {}); // gone with its channel
        resolve(readDeadLetter(message));
      })
      .catch(reject);
  });
}
