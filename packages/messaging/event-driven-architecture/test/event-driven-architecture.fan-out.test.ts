import { describe, expect, it } from "@jest/globals";
import { analytics, email, inventory, publish } from "../src/event-driven-architecture.js";
import { sampleOrder } from "../src/events.js";
import { KafkaFixture } from "./kafka-fixture.js";

describe("order.placed on Kafka, read by independent services", () => {
  it("when order.placed is published, then inventory, email and analytics each consume every event in their own group and keep their own state", async () => {
    // Arrange
    await using kafka = await KafkaFixture.create();
    const readers = [kafka.service(inventory), kafka.service(email), kafka.service(analytics)];
    await Promise.all(readers.map((service) => service.start(kafka.topic)));
    const orders = [1, 2, 3].map((n) => sampleOrder(n));

    // Act
    for (const order of orders) await publish(kafka.producer, kafka.topic, order);
    await Promise.all(readers.map((service) => service.until((s) => s.applied === 3)));

    // Assert: three different states, built from the same three events.
    const [stock, sent, totals] = readers.map((service) => service.state);
    expect(stock).toEqual(
      new Map([
        ["sku-lamp", 100 - 1],
        ["sku-desk", 100 - 2],
        ["sku-chair", 100 - 3],
      ]),
    );
    expect(sent).toEqual(orders.map((o) => `${o.email}: ${o.orderId} confirmed`));
    expect(totals).toEqual({ orders: 3, revenue: orders.reduce((sum, o) => sum + o.total, 0) });
    expect(new Set(readers.map((service) => service.groupId)).size).toBe(3);
  });

  it("when one service is down while events are published, then the others keep up and it catches up from its own committed offset", async () => {
    // Arrange
    await using kafka = await KafkaFixture.create();
    const [stock, mail, totals] = [
      kafka.service(inventory),
      kafka.service(email),
      kafka.service(analytics),
    ];
    await Promise.all([stock, mail, totals].map((service) => service.start(kafka.topic)));
    await publish(kafka.producer, kafka.topic, sampleOrder(1));
    await Promise.all(
      [stock, mail, totals].map((service) => service.until((s) => s.applied === 1)),
    );

    // Act: email goes away; two more orders are placed; email comes back.
    await mail.stop();
    for (const n of [2, 3]) await publish(kafka.producer, kafka.topic, sampleOrder(n));
    await Promise.all([stock, totals].map((service) => service.until((s) => s.applied === 3)));
    const sentWhileDown = mail.state.length;
    await mail.start(kafka.topic);
    await mail.until((s) => s.applied === 3);

    // Assert: publishing never waited for email, and email lost nothing and repeated nothing.
    expect(sentWhileDown).toBe(1);
    expect(mail.state).toHaveLength(3);
    expect(mail.duplicates).toBe(0);
    const [committed] = await kafka.admin.fetchOffsets({
      groupId: mail.groupId,
      topics: [kafka.topic],
    });
    expect(committed?.partitions.map((p) => p.offset)).toEqual(["3"]);
  });
});
