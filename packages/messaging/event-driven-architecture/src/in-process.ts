import type { EventEmitter } from "node:events";
import type { OrderPlaced } from "./events.js";

// Inside one process, "event-driven" is the observer pattern: the code that
// places an order announces `order.placed` and does not know who listens.
// Inventory, email and analytics each subscribe on their own, so adding a
// fourth reaction touches none of the existing code. That is the decoupling.

/** What the bus carries: `order.placed`, and Node's special `error`. */
export type ShopEvents = { "order.placed": [OrderPlaced]; error: [Error] };

/** The state the three in-process handlers keep. */
export interface ShopState {
  reserved: Map<string, number>;
  emails: string[];
  revenue: number;
  /** Who ran, in the order they ran. */
  trace: string[];
}

export function newShopState(): ShopState {
  return { reserved: new Map(), emails: [], revenue: 0, trace: [] };
}

/** Each handler subscribes itself; the publisher never names them. */
export const handlers = {
  inventory: (bus: EventEmitter<ShopEvents>, state: ShopState) =>
    bus.on("order.placed", (order) => {
      state.trace.push("inventory");
      state.reserved.set(order.sku, (state.reserved.get(order.sku) ?? 0) + order.quantity);
    }),
  // The email reads what inventory did: "reserved" or "on back-order". It
  // is right only if inventory ran first, so registration order is part of
  // the behaviour, and nothing in the code says so.
  email: (bus: EventEmitter<ShopEvents>, state: ShopState) =>
    bus.on("order.placed", (order) => {
      state.trace.push("email");
      const status = state.reserved.has(order.sku) ? "reserved" : "on back-order";
      state.emails.push(`${order.email}: ${order.sku} ${status}`);
    }),
  analytics: (bus: EventEmitter<ShopEvents>, state: ShopState) =>
    bus.on("order.placed", (order) => {
      state.trace.push("analytics");
      state.revenue += order.total;
    }),
};

// Decoupled in the code, not in time. `emit` calls every listener
// synchronously, in the order they subscribed, before it returns: the
// order service waits for the slowest handler, and a handler that throws
// stops the ones after it and throws into the code that placed the order.
/** Places an order: announces it, and returns once every listener has run. */
export function placeOrder(bus: EventEmitter<ShopEvents>, order: OrderPlaced): void {
  bus.emit("order.placed", order);
}

// `error` is special. An EventEmitter that emits `error` with no listener
// throws the error, and unless something catches it, the process dies.
// See `error-without-listener.ts`, which tests run as a child process.
