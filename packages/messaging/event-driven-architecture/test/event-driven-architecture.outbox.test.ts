import { describe, expect, it } from "@jest/globals";
import { ScriptProcess, services } from "@playground/kit";
import pg from "pg";
import { analytics } from "../src/event-driven-architecture.js";
import { sampleOrder } from "../src/events.js";
import { publishedCount } from "../src/kafka.js";
import type { WriterJob } from "../src/order-writer.js";
import { createOrderTables, placeOrderWithOutbox, relayOutbox } from "../src/outbox.js";
import { KafkaFixture, unique } from "./kafka-fixture.js";

const WRITER = new URL("../src/order-writer.ts", import.meta.url);

/** The shared servers, a fresh schema and topic, and a way to run the writer process. */
async function setUp() {
  const kafka = await KafkaFixture.create();
  const server = await services.postgres();
  const postgres = server.url;
  const db = new pg.Client({ connectionString: postgres });
  await db.connect();
  const schema = unique("shop");
  await createOrderTables(db, schema);
  const run = async (job: Pick<WriterJob, "mode" | "order" | "crashAt">) => {
    const writer = new ScriptProcess(
      WRITER,
      [
        JSON.stringify({
          ...job,
          postgres,
          kafka: kafka.url,
          schema,
          topic: kafka.topic,
        } satisfies WriterJob),
      ],
      job.mode,
    );
    return { ...(await writer.exited), writer };
  };
  const count = async (sql: string) =>
    Number(
      (await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.${sql}`)).rows[0]!.n,
    );
  return {
    kafka,
    db,
    schema,
    run,
    count,
    async [Symbol.asyncDispose]() {
      await db.query(`DROP SCHEMA ${schema} CASCADE`);
      await db.end();
      await server[Symbol.asyncDispose]();
      await kafka[Symbol.asyncDispose]();
    },
  };
}

describe("the dual write: an order row in PostgreSQL and its event in Kafka", () => {
  it("when the writer crashes between COMMIT and publish without an outbox, then the order is saved and its event is lost", async () => {
    // Arrange
    await using shop = await setUp();
    const order = sampleOrder(1);

    // Act: the writer process is SIGKILLed right after COMMIT.
    const { signal, writer } = await shop.run({ mode: "naive", order, crashAt: "afterCommit" });

    // Assert: the order exists, and Kafka never received a single message.
    expect(signal).toBe("SIGKILL");
    expect(writer.events.map((m) => m.type)).toEqual(["crashing"]);
    expect(await shop.count(`orders WHERE id = '${order.orderId}'`)).toBe(1);
    expect(await publishedCount(shop.kafka.admin, shop.kafka.topic)).toBe(0);
  });

  it("when the writer crashes at the same point with an outbox, then the event waits in the outbox and the relay publishes it", async () => {
    // Arrange
    await using shop = await setUp();
    const order = sampleOrder(1);
    const reader = shop.kafka.service(analytics);
    await reader.start(shop.kafka.topic, { fromBeginning: true });

    // Act
    const { signal } = await shop.run({ mode: "outbox", order, crashAt: "afterCommit" });
    const unsentAfterCrash = await shop.count("outbox WHERE sent_at IS NULL");
    const relay = await shop.run({ mode: "relay" });
    await reader.until((s) => s.applied === 1);

    // Assert
    expect(signal).toBe("SIGKILL");
    expect(unsentAfterCrash).toBe(1);
    expect(relay.code).toBe(0);
    expect(await shop.count("outbox WHERE sent_at IS NULL")).toBe(0);
    expect(await publishedCount(shop.kafka.admin, shop.kafka.topic)).toBe(1);
    expect(reader.state).toEqual({ orders: 1, revenue: order.total });
  });

  it("when the order's transaction fails, then its outbox event is never saved, so never published", async () => {
    // Arrange: an order id that already exists makes the INSERT fail.
    await using shop = await setUp();
    await placeOrderWithOutbox(shop.db, shop.schema, shop.kafka.topic, sampleOrder(1, "dup"));

    // Act
    const failed = await placeOrderWithOutbox(
      shop.db,
      shop.schema,
      shop.kafka.topic,
      sampleOrder(2, "dup"),
    ).then(
      () => undefined,
      (error: { code?: string }) => error.code,
    );
    const relayed = await relayOutbox(shop.db, shop.kafka.producer, shop.schema);

    // Assert: 23505 is unique_violation; only the first order's event exists.
    expect(failed).toBe("23505");
    expect(await shop.count("outbox")).toBe(1);
    expect(relayed).toBe(1);
    expect(await publishedCount(shop.kafka.admin, shop.kafka.topic)).toBe(1);
  });

  it("when the relay crashes after publishing and before marking the row sent, then the event is published twice and an idempotent consumer applies it once", async () => {
    // Arrange
    await using shop = await setUp();
    const order = sampleOrder(1);
    await placeOrderWithOutbox(shop.db, shop.schema, shop.kafka.topic, order);
    const reader = shop.kafka.service(analytics);
    await reader.start(shop.kafka.topic, { fromBeginning: true });

    // Act: the first relay dies after Kafka has the event; a second relay runs.
    const crashed = await shop.run({ mode: "relay", crashAt: "afterPublish" });
    const unsentAfterCrash = await shop.count("outbox WHERE sent_at IS NULL");
    const retried = await shop.run({ mode: "relay" });
    await reader.until((s) => s.applied + s.duplicates === 2);

    // Assert
    expect(crashed.signal).toBe("SIGKILL");
    expect(unsentAfterCrash).toBe(1);
    expect(retried.writer.events.find((m) => m.type === "relayed")?.count).toBe(1);
    expect(await publishedCount(shop.kafka.admin, shop.kafka.topic)).toBe(2);
    expect(reader.applied).toBe(1);
    expect(reader.duplicates).toBe(1);
    expect(reader.state).toEqual({ orders: 1, revenue: order.total });
  });
});
