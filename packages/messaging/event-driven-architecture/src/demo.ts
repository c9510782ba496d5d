import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import { defineDemo, ScriptProcess } from "@playground/kit";
import pg from "pg";
import { analytics, EventService, email, inventory, publish } from "./event-driven-architecture.js";
import { sampleOrder } from "./events.js";
import { handlers, newShopState, placeOrder, type ShopEvents } from "./in-process.js";
import { createTopic, idempotentProducer, kafkaClient, publishedCount } from "./kafka.js";
import type { WriterJob } from "./order-writer.js";
import { createOrderTables } from "./outbox.js";

const WRITER = new URL("./order-writer.ts", import.meta.url);
const ERROR_SCRIPT = new URL("./error-without-listener.ts", import.meta.url);

export default defineDemo({
  title: "Event-driven architecture",
  services: ["kafka", "postgres"],
  async run(ctx) {
    const { kafka: broker, postgres } = ctx.services;

    // In one process: an EventEmitter and three handlers that subscribe
    // themselves. `emit` runs them all, in order, before it returns.
    const bus = new EventEmitter<ShopEvents>();
    const shop = newShopState();
    handlers.inventory(bus, shop);
    handlers.email(bus, shop);
    handlers.analytics(bus, shop);
    placeOrder(bus, sampleOrder(1));
    shop.trace.push("placeOrder returned");
    ctx.event("in-process", "order.placed emitted", `ran: ${shop.trace.join(" → ")}`);
    const reordered = newShopState();
    const busReordered = new EventEmitter<ShopEvents>();
    handlers.email(busReordered, reordered);
    handlers.inventory(busReordered, reordered);
    placeOrder(busReordered, sampleOrder(1));
    ctx.event("in-process", "email subscribed before inventory", `sent "${reordered.emails[0]}"`);
    const crash = new ScriptProcess(ERROR_SCRIPT, [], "no listener");
    ctx.defer(() => crash.kill());
    const { code: crashCode } = await crash.exited;
    ctx.event(
      "in-process",
      "'error' emitted with no listener",
      `the process exited with code ${crashCode}`,
    );

    // Across services: Kafka. Each service is its own consumer group.
    const suffix = randomBytes(4).toString("hex");
    const topic = `orders_${suffix}`;
    const kafka = kafkaClient(broker.url);
    const admin = kafka.admin();
    const producer = idempotentProducer(kafka);
    await Promise.all([admin.connect(), producer.connect()]);
    ctx.defer(() => Promise.all([admin.disconnect(), producer.disconnect()]));
    await createTopic(admin, topic);
    ctx.say(`The order service publishes order.placed to the Kafka topic ${topic}.`);
    const stock = new EventService(kafka, inventory, `${topic}.inventory`);
    const mail = new EventService(kafka, email, `${topic}.email`);
    const totals = new EventService(kafka, analytics, `${topic}.analytics`);
    const live = [stock, mail, totals];
    ctx.defer(() => Promise.all(live.map((s) => s.stop())));
    await Promise.all(live.map((s) => s.start(topic)));
    for (const s of live) ctx.event(s.spec.name, "joined", `consumer group ${s.groupId}`);

    for (const n of [1, 2, 3]) await publish(producer, topic, sampleOrder(n));
    ctx.event("orders", "published 3 × order.placed", "and moved on: it waits for no reader");
    await Promise.all(live.map((s) => s.until((x) => x.applied === 3)));
    ctx.event("inventory", "3 events applied", `stock: ${[...stock.state.values()].join(", ")}`);
    ctx.event("email", "3 events applied", `${mail.state.length} confirmations sent`);
    ctx.event("analytics", "3 events applied", `revenue ${totals.state.revenue / 100} €`);

    // Email goes away; orders keep coming; email comes back and catches up.
    await mail.stop();
    ctx.state("email", "running", "stopped");
    for (const n of [4, 5]) await publish(producer, topic, sampleOrder(n));
    await Promise.all([stock, totals].map((s) => s.until((x) => x.applied === 5)));
    const sentWhileDown = mail.state.length;
    ctx.event(
      "orders",
      "published 2 more",
      `inventory and analytics at 5, email still at ${sentWhileDown}`,
    );
    await mail.start(topic);
    ctx.state("email", "stopped", "running");
    await mail.until((x) => x.applied === 5);
    ctx.event(
      "email",
      "caught up from its committed offset",
      `${mail.state.length} sent, ${mail.duplicates} twice`,
    );

    // Replay: a service that did not exist reads the topic from offset 0.
    const replayed = new EventService(kafka, analytics, `${topic}.analytics-v2`);
    live.push(replayed);
    await replayed.start(topic, { fromBeginning: true });
    await replayed.until((x) => x.applied === 5);
    const sameState = JSON.stringify(replayed.state) === JSON.stringify(totals.state);
    ctx.event(
      "analytics-v2",
      "new service replayed the topic from offset 0",
      `revenue ${replayed.state.revenue / 100} € (live analytics: ${totals.state.revenue / 100} €)`,
    );

    // The dual write: a writer process SIGKILLed between COMMIT and publish.
    const db = new pg.Client({ connectionString: postgres.url });
    await db.connect();
    ctx.defer(() => db.end());
    const results: { how: string; saved: number; published: number }[] = [];
    for (const mode of ["naive", "outbox"] as const) {
      const schema = `shop_${mode}_${suffix}`;
      const outTopic = `${topic}_${mode}`;
      await createOrderTables(db, schema);
      ctx.defer(() => db.query(`DROP SCHEMA ${schema} CASCADE`));
      await createTopic(admin, outTopic);
      const job = { postgres: postgres.url, kafka: broker.url, schema, topic: outTopic };
      const run = async (extra: Pick<WriterJob, "mode" | "order" | "crashAt">) => {
        const writer = new ScriptProcess(
          WRITER,
          [JSON.stringify({ ...job, ...extra })],
          extra.mode,
        );
        ctx.defer(() => writer.kill());
        return writer.exited;
      };
      const { signal } = await run({ mode, order: sampleOrder(6), crashAt: "afterCommit" });
      ctx.event(
        `${mode} writer`,
        "committed the order, then crashed",
        `${signal} before publishing`,
      );
      if (mode === "outbox") {
        await run({ mode: "relay" });
        ctx.event("relay", "published the outbox row", "and marked it sent");
      }
      const { rows } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.orders`);
      const published = await publishedCount(admin, outTopic);
      results.push({ how: mode, saved: Number(rows[0]!.n), published });
      ctx.event(`${mode} writer`, `orders saved: ${rows[0]!.n}`, `events in Kafka: ${published}`);
    }
    const [naive, outbox] = results;

    const summary = (s: EventService<unknown>) =>
      s.state instanceof Map
        ? `stock ${[...s.state.values()].join("/")}`
        : Array.isArray(s.state)
          ? `${s.state.length} emails sent`
          : `revenue ${(s.state as { revenue: number }).revenue / 100} €`;
    ctx.table(
      live.map((s) => ({
        service: s.groupId.slice(topic.length + 1),
        "consumer group": s.groupId,
        "events applied": s.applied,
        "seen twice": s.duplicates,
        state: summary(s as EventService<unknown>),
      })),
    );
    ctx.claim(
      "in process, emit ran every listener, in order, before it returned",
      shop.trace.join() === "inventory,email,analytics,placeOrder returned",
    );
    ctx.claim(
      "listener order changed the outcome",
      reordered.emails[0]?.endsWith("on back-order") === true,
    );
    ctx.claim("an 'error' event with no listener crashed the process", crashCode === 1);
    ctx.claim(
      "each service consumed every event in its own consumer group, with its own state",
      live.every((s) => s.applied === 5) && new Set(live.map((s) => s.groupId)).size === 4,
    );
    ctx.claim(
      "a stopped service caught up from its own offset, losing and repeating nothing",
      sentWhileDown === 3 && mail.state.length === 5 && mail.duplicates === 0,
    );
    ctx.claim("a new service rebuilt the same state by replaying from offset 0", sameState);
    ctx.claim(
      "a crash between COMMIT and publish lost the event without an outbox, and none with one",
      naive?.saved === 1 && naive.published === 0 && outbox?.saved === 1 && outbox.published === 1,
    );
  },
});
