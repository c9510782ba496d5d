import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import amqp, { type ChannelModel, type ConfirmChannel } from "amqplib";
import { type OrderEvent, orderEvents } from "../src/kafka-vs-rabbitmq.js";
import {
  bindQueue,
  declareExchange,
  drain,
  type ExchangeKind,
  publishEvents,
} from "../src/rabbitmq.js";
import { releaseServers, server, unique } from "./helpers.js";

type Binding = { pattern: string } | { headers: Record<string, string> };

describe("RabbitMQ routing: the exchange decides which queues get a copy", () => {
  let connection: ChannelModel;
  let channel: ConfirmChannel;
  const events = orderEvents(6);

  beforeAll(async () => {
    connection = await amqp.connect((await server("rabbitmq")).url);
    channel = await connection.createConfirmChannel();
  });

  afterAll(async () => {
    await connection?.close();
    await releaseServers();
  });

  /** Binds one queue per entry, publishes the events, and returns what each queue holds. */
  async function route(kind: ExchangeKind, bindings: Record<string, Binding>) {
    const exchange = unique(`orders-${kind}`);
    await declareExchange(channel, exchange, kind);
    const queues = Object.fromEntries(Object.keys(bindings).map((name) => [name, unique(name)]));
    for (const [name, binding] of Object.entries(bindings)) {
      await bindQueue(channel, exchange, queues[name]!, binding);
    }
    await publishEvents(channel, exchange, events);
    const got: Record<string, OrderEvent[]> = {};
    for (const [name, queue] of Object.entries(queues)) {
      got[name] = await drain(channel, queue);
      await channel.deleteQueue(queue);
    }
    await channel.deleteExchange(exchange);
    return got;
  }

  const only = (keep: (e: OrderEvent) => boolean) => events.filter(keep);

  it("when queues are bound to a topic exchange by pattern, then each receives exactly the events whose routing key matches", async () => {
    // Arrange
    const bindings = {
      europe: { pattern: "order.*.eu" },
      payments: { pattern: "order.paid.#" },
      usShipping: { pattern: "order.shipped.us" },
      everything: { pattern: "#" },
      refunds: { pattern: "order.refunded.*" },
    };

    // Act
    const got = await route("topic", bindings);

    // Assert
    expect(got.europe).toEqual(only((e) => e.region === "eu"));
    expect(got.payments).toEqual(only((e) => e.step === "paid"));
    expect(got.usShipping).toEqual(only((e) => e.step === "shipped" && e.region === "us"));
    expect(got.everything).toEqual(events);
    expect(got.refunds).toEqual([]);
  });

  it("when queues are bound to a headers exchange, then x-match all needs every header and x-match any needs one", async () => {
    // Arrange
    const bindings = {
      euPayments: { headers: { "x-match": "all", step: "paid", region: "eu" } },
      paidOrUs: { headers: { "x-match": "any", step: "paid", region: "us" } },
    };

    // Act
    const got = await route("headers", bindings);

    // Assert
    expect(got.euPayments).toEqual(only((e) => e.step === "paid" && e.region === "eu"));
    expect(got.paidOrUs).toEqual(only((e) => e.step === "paid" || e.region === "us"));
  });

  it("when queues are bound to a fanout exchange, then every queue receives every event, whatever its key", async () => {
    // Arrange
    const bindings = {
      billing: { pattern: "ignored" },
      analytics: { pattern: "" },
      audit: { pattern: "order.paid.eu" },
    };

    // Act
    const got = await route("fanout", bindings);

    // Assert
    expect(got.billing).toEqual(events);
    expect(got.analytics).toEqual(events);
    expect(got.audit).toEqual(events);
  });
});
