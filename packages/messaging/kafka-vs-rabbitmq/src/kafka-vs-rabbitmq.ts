// One workload, two brokers. An online shop emits an event each time an
// order moves on: created, paid, shipped. We push the very same events
// through Kafka (src/kafka.ts) and RabbitMQ (src/rabbitmq.ts) and watch
// where the two part ways:
//
// | question                     | Kafka                                  | RabbitMQ                                  |
// | ---------------------------- | -------------------------------------- | ----------------------------------------- |
// | what is it                   | a replicated, partitioned log          | a broker of queues                        |
// | after a message is consumed  | it stays, until retention removes it   | it is deleted, once acked                 |
// | a new reader                 | may replay from offset 0               | sees only what arrives from now on        |
// | order                        | per partition, so per key              | per queue                                 |
// | scaling consumers            | up to one per partition, in a group    | any number on one queue                   |
// | routing                      | by topic, then by key to a partition   | exchanges: direct, topic, headers, fanout |
// | progress                     | one committed offset per partition     | an ack (or nack) per message              |

/** What moves an order on. */
export const STEPS = ["created", "paid", "shipped"] as const;
export type Step = (typeof STEPS)[number];
export type Region = "eu" | "us";

/** One event in the life of one order. */
export interface OrderEvent {
  orderId: string;
  step: Step;
  region: Region;
  /** Position in the order the shop produced the events: 1, 2, 3, … */
  seq: number;
}

// The shop serves many orders at once, so their events interleave: every
// order is created, then every order is paid, then every order shipped.
// Within one order the steps must be seen in this order (a shipped order
// that was never paid is a bug); across orders no order is promised.
export function orderEvents(orders: number, prefix = "order"): OrderEvent[] {
  const events: OrderEvent[] = [];
  for (const step of STEPS) {
    for (let i = 1; i <= orders; i++) {
      const region: Region = i % 2 === 1 ? "eu" : "us";
      events.push({ orderId: `${prefix}-${i}`, step, region, seq: events.length + 1 });
    }
  }
  return events;
}

export const encode = (event: OrderEvent): Buffer => Buffer.from(JSON.stringify(event));
export const decode = (bytes: Buffer | null): OrderEvent =>
  JSON.parse(bytes?.toString() ?? "null") as OrderEvent;

/** The steps of each order, in the order they appear in `events`. */
export function stepsByOrder(events: OrderEvent[]): Map<string, Step[]> {
  const byOrder = new Map<string, Step[]>();
  for (const e of events) byOrder.set(e.orderId, [...(byOrder.get(e.orderId) ?? []), e.step]);
  return byOrder;
}
