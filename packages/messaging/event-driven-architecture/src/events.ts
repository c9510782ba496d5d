import { randomUUID } from "node:crypto";

/**
 * The one event this package is about: a fact, in the past tense, that the
 * order service publishes and knows nothing more about. `eventId` is unique
 * per event, so a consumer that sees one twice can tell.
 */
export interface OrderPlaced {
  type: "order.placed";
  eventId: string;
  orderId: string;
  sku: string;
  quantity: number;
  email: string;
  /** In cents. */
  total: number;
}

const skus = ["sku-lamp", "sku-desk", "sku-chair"] as const;

/** The `n`th order of a run: varied, but the same every run. */
export function sampleOrder(n: number, orderId = `order-${n}`): OrderPlaced {
  return {
    type: "order.placed",
    eventId: randomUUID(),
    orderId,
    sku: skus[n % skus.length]!,
    quantity: 1 + (n % 3),
    email: `customer${n}@example.com`,
    total: 1_000 + 250 * n,
  };
}
