import { describe, expect, it } from "@jest/globals";
import { analytics, publish } from "../src/event-driven-architecture.js";
import { sampleOrder } from "../src/events.js";
import { KafkaFixture } from "./kafka-fixture.js";

describe("replaying the topic", () => {
  it("when a brand-new service reads the topic from offset 0, then it rebuilds the state the live service built event by event", async () => {
    // Arrange: analytics reads live while ten orders are placed.
    await using kafka = await KafkaFixture.create();
    const live = kafka.service(analytics);
    await live.start(kafka.topic);
    for (let n = 1; n <= 10; n++) await publish(kafka.producer, kafka.topic, sampleOrder(n));
    await live.until((s) => s.applied === 10);

    // Act: a service that did not exist when the orders were placed.
    const replayed = kafka.service(analytics, "analytics-v2");
    await replayed.start(kafka.topic, { fromBeginning: true });
    await replayed.until((s) => s.applied === 10);

    // Assert
    expect(replayed.state).toEqual(live.state);
    expect(replayed.state.orders).toBe(10);
  });

  it("when a new group starts from the latest offset instead, then it sees none of the history, only what comes next", async () => {
    // Arrange
    await using kafka = await KafkaFixture.create();
    for (let n = 1; n <= 5; n++) await publish(kafka.producer, kafka.topic, sampleOrder(n));

    // Act
    const latecomer = kafka.service(analytics, "latecomer");
    await latecomer.start(kafka.topic, { fromBeginning: false });
    const next = sampleOrder(6);
    await publish(kafka.producer, kafka.topic, next);
    await latecomer.until((s) => s.applied === 1);

    // Assert
    expect(latecomer.state).toEqual({ orders: 1, revenue: next.total });
  });
});
