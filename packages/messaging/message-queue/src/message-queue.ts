import type { Channel, ChannelModel, ConfirmChannel, ConsumeMessage } from "amqplib";

// A message queue sits between the code that has work and the code that
// does it. The producer hands a message to the broker and moves on; a
// worker takes it whenever it is free. Here the work is an order to fulfil.

/** One unit of work. */
export interface Order {
  id: string;
  /** A poison order can never be processed, however often it is tried. */
  poison?: boolean;
}

export const encode = (order: Order): Buffer => Buffer.from(JSON.stringify(order));
export const decode = (message: { content: Buffer }): Order =>
  JSON.parse(message.content.toString()) as Order;

/** `count` orders with ids `<prefix>-1`, `<prefix>-2`, … */
export const makeOrders = (count: number, prefix = "order"): Order[] =>
  Array.from({ length: count }, (_, i) => ({ id: `${prefix}-${i + 1}` }));

// A `durable` queue is written to the broker's disk, so it outlives a
// restart; a non-durable one is gone with the broker's memory. Durability
// of the queue says nothing about its messages: each of those is kept
// only if it was published `persistent` (delivery mode 2) as well.
export async function declareWorkQueue(
  channel: Channel,
  queue: string,
  options: { durable: boolean } = { durable: true },
): Promise<void> {
  await channel.assertQueue(queue, { durable: options.durable });
}

// `sendToQueue` returns as soon as the bytes are in our socket buffer: the
// broker may still lose them. On a confirm channel the broker acks every
// message once it has taken responsibility for it (for a persistent message
// in a durable queue: once it is on disk), and `waitForConfirms` waits for
// all of them. Only then may the producer forget its orders.
export async function publishOrders(
  channel: ConfirmChannel,
  queue: string,
  orders: Order[],
  options: { persistent: boolean } = { persistent: true },
): Promise<void> {
  for (const order of orders) {
    channel.sendToQueue(queue, encode(order), {
      persistent: options.persistent,
      messageId: order.id,
    });
  }
  await channel.waitForConfirms();
}

/** What a worker saw of one message. */
export interface Delivery {
  order: Order;
  worker: string;
  /** The broker had delivered this message before and got no ack for it. */
  redelivered: boolean;
}

/** What one worker must do with an order; when it resolves, the order is done. */
export type Handler = (order: Order, message: ConsumeMessage) => Promise<void>;

export interface Worker {
  readonly name: string;
  /** Every order this worker finished and acked, in order. */
  readonly done: Delivery[];
  stop(): Promise<void>;
}

// A worker takes messages on a channel of its own, because `prefetch` is
// per channel: it is how many messages the broker may push to us that we
// have not acked yet. With `prefetch` 1 the broker gives the next message
// to whichever worker acked last, so fast workers take more. With a large
// `prefetch` it pushes messages round-robin as they arrive, regardless of
// speed, and a slow worker sits on a backlog the others could have done.
//
// We ack only after the work is done. If the worker dies first, its
// channel closes, and the broker puts every unacked message back in the
// queue with `redelivered` set: at-least-once delivery.
export async function startWorker(
  connection: ChannelModel,
  queue: string,
  options: { name: string; prefetch: number; handle: Handler },
): Promise<Worker> {
  const channel = await connection.createChannel();
  await channel.prefetch(options.prefetch);
  const done: Delivery[] = [];

  // amqplib calls us for each message as it arrives, so with `prefetch` > 1
  // several would run at once. A real worker does one job at a time: we
  // chain them, and the ones waiting their turn are the prefetched backlog.
  let queueOfWork = Promise.resolve();
  const { consumerTag } = await channel.consume(queue, (message) => {
    if (!message) return; // the broker cancelled us (the queue was deleted)
    queueOfWork = queueOfWork.then(async () => {
      const order = decode(message);
      try {
        await options.handle(order, message);
      } catch {
        // A failed job goes back to the queue for another try. Whether
        // that try ever ends is the dead-letter queue's business.
        channel.nack(message, false, true);
        return;
      }
      channel.ack(message);
      done.push({ order, worker: options.name, redelivered: message.fields.redelivered });
    });
  });

  let stopped = false;
  return {
    name: options.name,
    done,
    async stop() {
      if (stopped) return;
      stopped = true;
      await channel.cancel(consumerTag);
      await queueOfWork;
      await channel.close();
    },
  };
}
