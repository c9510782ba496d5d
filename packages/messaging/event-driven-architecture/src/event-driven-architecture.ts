import type { Consumer, Kafka, Producer } from "kafkajs";
import type { OrderPlaced } from "./events.js";

// Across services, the event goes through a broker. The order service
// appends `order.placed` to a Kafka topic and is done: it does not know
// who reads it, does not wait for them, and does not fail when they are
// down. Each reader is a separate service with its own consumer group,
// its own offset in the topic, and its own state.

/** Appends the event to `topic`, keyed by order, and resolves once Kafka has it. */
export async function publish(producer: Producer, topic: string, event: OrderPlaced) {
  // The key picks the partition, and Kafka orders messages per partition:
  // every event of one order is read in the order it was written.
  await producer.send({
    topic,
    acks: -1,
    messages: [{ key: event.orderId, value: JSON.stringify(event) }],
  });
}

/** What makes one service: its name, its starting state, and how an event changes it. */
export interface ServiceSpec<S> {
  name: string;
  initial(): S;
  apply(state: S, event: OrderPlaced): void;
}

// A service's state is a fold over the events it has read: `apply` each
// event to `initial()` in order. That is why replay works (below).
export const inventory: ServiceSpec<Map<string, number>> = {
  name: "inventory",
  initial: () =>
    new Map([
      ["sku-lamp", 100],
      ["sku-desk", 100],
      ["sku-chair", 100],
    ]),
  apply: (stock, { sku, quantity }) => void stock.set(sku, (stock.get(sku) ?? 0) - quantity),
};

export const email: ServiceSpec<string[]> = {
  name: "email",
  initial: () => [],
  apply: (sent, { email: to, orderId }) => void sent.push(`${to}: ${orderId} confirmed`),
};

export const analytics: ServiceSpec<{ orders: number; revenue: number }> = {
  name: "analytics",
  initial: () => ({ orders: 0, revenue: 0 }),
  apply: (totals, { total }) => {
    totals.orders++;
    totals.revenue += total;
  },
};

/** One consuming service: a consumer group of its own, and the state it builds. */
export class EventService<S> {
  readonly state: S;
  /** Events applied to the state. */
  applied = 0;
  /** Events seen again (same `eventId`) and skipped. */
  duplicates = 0;
  readonly #seen = new Set<string>();
  readonly #waiters = new Set<() => void>();
  #consumer: Consumer | undefined;

  constructor(
    private readonly kafka: Kafka,
    readonly spec: ServiceSpec<S>,
    /** The consumer group: the name under which Kafka keeps this service's offset. */
    readonly groupId: string,
  ) {
    this.state = spec.initial();
  }

  // A consumer group is how Kafka tells services apart. Each group gets
  // every event of the topic and has its own committed offset, so the
  // services neither share work nor wait for each other. `fromBeginning`
  // only matters for a group Kafka has never seen: with it, the group
  // starts at offset 0 and reads the whole history; without it, only what
  // arrives from now on. A group that has committed an offset resumes there.
  /** Joins the group and starts applying events; resolves once its first fetch is done. */
  async start(topic: string, { fromBeginning = false } = {}): Promise<void> {
    // `maxWaitTimeInMs` bounds how long the broker holds a fetch open when
    // there is nothing new: short here, so a consumer notices events quickly.
    const consumer = this.kafka.consumer({ groupId: this.groupId, maxWaitTimeInMs: 100 });
    this.#consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning });
    // After its first fetch the consumer knows where it reads from.
    const reading = new Promise<void>((resolve) => {
      const off = consumer.on(consumer.events.FETCH, () => {
        off();
        resolve();
      });
    });
    await consumer.run({
      eachMessage: async ({ message }) => this.#handle(JSON.parse(String(message.value))),
    });
    await reading;
  }

  // Brokers deliver at least once: after a crash, a consumer that had not
  // committed its offset reads the same events again, and an outbox relay
  // may publish one twice. So the service remembers which `eventId`s it
  // applied and skips repeats. (Here in memory; a real service keeps them
  // in its database, in the same transaction as the state.)
  #handle(event: OrderPlaced): void {
    if (this.#seen.has(event.eventId)) this.duplicates++;
    else {
      this.#seen.add(event.eventId);
      this.spec.apply(this.state, event);
      this.applied++;
    }
    for (const waiter of [...this.#waiters]) waiter();
  }

  /** Resolves once `condition` holds, re-checked after every event. */
  until(condition: (service: this) => boolean): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (!condition(this)) return;
        this.#waiters.delete(check);
        resolve();
      };
      this.#waiters.add(check);
      check();
    });
  }

  /** Leaves the group; its committed offset stays with Kafka for the next start. */
  async stop(): Promise<void> {
    await this.#consumer?.disconnect();
    this.#consumer = undefined;
  }
}

// Replay. Kafka keeps the topic after it is read (for the retention
// period), so a brand-new service, or a fixed version of an old one, can
// start a new group from offset 0 and fold the whole history into its
// state. A queue that deletes what it delivered cannot do this.
