import { defineDemo } from "@playground/kit";
import amqp from "amqplib";
import { crashSideBySide } from "./crash-side-by-side.js";
import { Inbox } from "./inbox.js";
import { createTopic, kafkaClient, messagesInLog, produceEvents, retentionMs } from "./kafka.js";
import { firstDeliveries, joinGroup, joinSettledGroup, type KafkaReceived } from "./kafka-group.js";
import { type OrderEvent, orderEvents, stepsByOrder } from "./kafka-vs-rabbitmq.js";
import {
  bindQueue,
  consume,
  declareExchange,
  drain,
  publishEvents,
  type RabbitReceived,
  routingKey,
} from "./rabbitmq.js";

const ORDERS = 4;
const PARTITIONS = 3;
const DAY_MS = 86_400_000;

export default defineDemo({
  title: "Kafka vs RabbitMQ",
  services: ["kafka", "rabbitmq"],
  async run(ctx) {
    const run = Math.random().toString(36).slice(2, 8);
    const events = orderEvents(ORDERS);
    const produced = events.map((e) => e.seq).join(" ");
    const kafkaBroker = ctx.services.kafka;
    const kafka = kafkaClient(kafkaBroker);
    const rabbitUrl = ctx.services.rabbitmq.url;
    const connection = await amqp.connect(rabbitUrl);
    ctx.defer(() => connection.close());
    const channel = await connection.createConfirmChannel();

    // The same shop, wired to both brokers. Kafka: one topic, three
    // partitions, events keyed by order id. RabbitMQ: a topic exchange, a
    // `billing` queue for everything and an `eu-payments` queue that only
    // wants `order.paid.eu`.
    const topic = `order-events-${run}`;
    await createTopic(kafka, topic, { partitions: PARTITIONS, retentionMs: DAY_MS });
    const exchange = `order-events-${run}`;
    const billingQueue = `billing-${run}`;
    const euQueue = `eu-payments-${run}`;
    await declareExchange(channel, exchange, "topic");
    ctx.defer(() => channel.deleteExchange(exchange));
    for (const [queue, pattern] of [
      [billingQueue, "order.#"],
      [euQueue, "order.paid.eu"],
    ] as const) {
      await bindQueue(channel, exchange, queue, { pattern });
      ctx.defer(() => channel.deleteQueue(queue));
    }
    ctx.say(
      `${events.length} order events (${ORDERS} orders: created, paid, shipped) go to both brokers, ` +
        `one by one. Kafka: a topic of ${PARTITIONS} partitions, keyed by order. RabbitMQ: a topic ` +
        "exchange, a billing queue (order.#) and an eu-payments queue (order.paid.eu).",
    );

    // A billing consumer on each side, narrated live.
    const kafkaBilling = new Inbox<KafkaReceived>();
    const billing = await joinGroup(kafka, {
      topic,
      groupId: `billing-${run}`,
      name: "billing",
      onMessage: (r) => {
        kafkaBilling.push(r);
        ctx.event(
          "kafka billing",
          `${r.event.orderId} ${r.event.step}`,
          `partition ${r.partition}, offset ${r.offset}`,
        );
      },
    });
    ctx.defer(() => billing.stop());
    const rabbitBilling = new Inbox<RabbitReceived>();
    const rabbitConsumer = await consume(connection, billingQueue, {
      name: "billing",
      prefetch: 10,
      onMessage: (r) => {
        rabbitBilling.push(r);
        ctx.event("rabbitmq billing", `${r.event.orderId} ${r.event.step}`, "acked: deleted");
        return "ack";
      },
    });
    ctx.defer(() => rabbitConsumer.stop());

    // A shipping service scaled out to four members of one group. The group
    // shares out the three partitions, one member each, so the fourth is
    // idle however much traffic arrives.
    const shipping = new Inbox<KafkaReceived>();
    const members = await joinSettledGroup(kafka, {
      topic,
      groupId: `shipping-${run}`,
      partitions: PARTITIONS,
      names: Array.from({ length: PARTITIONS + 1 }, (_, i) => `shipping-${i + 1}`),
      onMessage: (r) => shipping.push(r),
    });
    for (const member of members) ctx.defer(() => member.stop());
    const assignments = members.map((m) => [...m.assignment]);
    for (const [i, member] of members.entries()) {
      ctx.event(
        member.name,
        assignments[i]!.length ? `joined: partition ${assignments[i]}` : "joined: no partition",
        `group shipping, ${members.length} members, ${PARTITIONS} partitions`,
      );
    }

    for (const event of events) {
      ctx.event(
        "shop",
        `${event.orderId} ${event.step}`,
        `key ${event.orderId} · routing key ${routingKey(event)}`,
      );
      await Promise.all([
        produceEvents(kafka, topic, [event]),
        publishEvents(channel, exchange, [event]),
      ]);
      await ctx.sleep(150);
    }
    // Kafka may hand a record over twice after a rebalance (see
    // firstDeliveries), so for Kafka we wait for, and count, distinct records.
    const allOf = (inbox: Inbox<KafkaReceived>) =>
      inbox.until((items) => firstDeliveries(items).length >= events.length);
    await Promise.all([allOf(kafkaBilling), rabbitBilling.atLeast(events.length), allOf(shipping)]);
    // Leaving rebalances the group, so we count before anyone leaves.
    const shipped = firstDeliveries(shipping.items);
    for (const member of members) await member.stop();
    await billing.stop();
    await rabbitConsumer.stop();
    const idle = assignments.filter((a) => a.length === 0).length;
    let idleGot = 0;
    for (const [i, member] of members.entries()) {
      const got = shipped.filter((r) => r.member === member.name).length;
      if (assignments[i]!.length === 0) idleGot += got;
      ctx.event(member.name, `received ${got} events`, assignments[i]!.length ? "" : "idle");
    }

    // Routing happens in the RabbitMQ broker. Kafka routes by topic and key
    // only, so a reader that wants EU payments reads the lot and filters.
    const euPayments = await drain(channel, euQueue);
    const wanted = (e: OrderEvent) => e.step === "paid" && e.region === "eu";
    const kafkaRead = firstDeliveries(kafkaBilling.items);
    const kafkaWanted = kafkaRead.filter((r) => wanted(r.event)).length;
    ctx.event(
      "rabbitmq eu-payments",
      `holds ${euPayments.length} events`,
      euPayments.map((e) => `${e.orderId} ${e.step}`).join(", "),
    );
    ctx.event(
      "kafka billing",
      `read ${kafkaRead.length} events to find the ${kafkaWanted} EU payments`,
      "no routing in the broker: the consumer filters",
    );

    // Everything has been consumed. RabbitMQ deleted each message as it was
    // acked, and a queue bound now starts empty. Kafka kept them all: a new
    // group replays them from offset 0.
    const leftInQueue = (await channel.checkQueue(billingQueue)).messageCount;
    const lateQueue = `audit-${run}`;
    await bindQueue(channel, exchange, lateQueue, { pattern: "order.#" });
    ctx.defer(() => channel.deleteQueue(lateQueue));
    const lateRabbit = await drain(channel, lateQueue);
    ctx.event("rabbitmq", `billing queue holds ${leftInQueue} messages`, "acked means deleted");
    ctx.event("rabbitmq audit", `a queue bound now receives ${lateRabbit.length}`, "no replay");
    const leftInLog = await messagesInLog(kafka, topic);
    const retention = await retentionMs(kafka, topic);
    ctx.say(
      `Kafka's log still holds ${leftInLog} events, kept for retention.ms = ${retention} ` +
        `(${retention / 3_600_000} h) whether read or not. A new group, "analytics", replays them.`,
    );
    const analytics = new Inbox<KafkaReceived>();
    const analyst = await joinGroup(kafka, {
      topic,
      groupId: `analytics-${run}`,
      name: "analytics",
      onMessage: (r) => analytics.push(r),
    });
    ctx.defer(() => analyst.stop());
    await allOf(analytics);
    await analyst.stop();
    const replayed = firstDeliveries(analytics.items);
    const fromZero = new Set(replayed.filter((r) => r.offset === 0).map((r) => r.partition)).size;
    const replayOrder = replayed.map((r) => r.event.seq).join(" ");
    ctx.event(
      "analytics",
      `replayed ${replayed.length} events, from offset 0 of ${fromZero} partitions`,
      `in the order ${replayOrder}; produced ${produced}`,
    );

    // Order: per partition (so per key) in Kafka, per queue in RabbitMQ.
    const sameSteps = (seen: OrderEvent[]) =>
      JSON.stringify([...stepsByOrder(seen)].sort()) ===
      JSON.stringify([...stepsByOrder(events)].sort());
    const kafkaPerKey = sameSteps(replayed.map((r) => r.event));
    const rabbitPerKey = sameSteps(rabbitBilling.items.map((r) => r.event));
    const kafkaGlobal = replayOrder === produced;
    const rabbitGlobal = rabbitBilling.items.map((r) => r.event.seq).join(" ") === produced;

    // A consumer crashes on each side, a real process killed with SIGKILL
    // after processing its 8th event. The RabbitMQ one acked each event;
    // the Kafka one committed its offset every 5 events.
    ctx.say(
      "A consumer process crashes on each side after processing its 8th event: the RabbitMQ one " +
        "acked each event, the Kafka one committed every 5. A successor takes over.",
    );
    const crash = await crashSideBySide({
      kafka,
      kafkaBroker,
      connection,
      channel,
      rabbitUrl,
      name: `payments-${run}`,
      events,
      workMs: ctx.fast ? 5 : 50,
      defer: ctx.defer,
      onKilled() {
        ctx.state("kafka payments", "running", "killed (SIGKILL)");
        ctx.state("rabbitmq payments", "running", "killed (SIGKILL)");
      },
    });
    const { kafka: kafkaCrash, rabbitmq: rabbitCrash } = crash;
    ctx.event(
      "rabbitmq successor",
      `took over after ${Math.round(rabbitCrash.takeoverMs)} ms: event ${rabbitCrash.again.join(", ")} again`,
      "only the unacked one, redelivered when the connection dropped",
    );
    ctx.event(
      "kafka successor",
      `took over after ${Math.round(kafkaCrash.takeoverMs)} ms: events ${kafkaCrash.again.join(", ")} again`,
      `from the committed offset ${kafkaCrash.committed}, once the session timed out`,
    );
    ctx.metric("rabbitmq: processed again after the crash", rabbitCrash.again.length, "events");
    ctx.metric("kafka: processed again after the crash", kafkaCrash.again.length, "events");
    ctx.metric("rabbitmq: crash to redelivery", Math.round(rabbitCrash.takeoverMs), "ms");
    ctx.metric("kafka: crash to takeover", Math.round(kafkaCrash.takeoverMs), "ms");

    ctx.table([
      {
        "": "billing received",
        kafka: kafkaRead.length,
        rabbitmq: rabbitBilling.items.length,
      },
      {
        "": "left on the broker after consuming",
        kafka: `${leftInLog} (kept ${retention / 3_600_000} h)`,
        rabbitmq: leftInQueue,
      },
      { "": "a late reader got", kafka: replayed.length, rabbitmq: lateRabbit.length },
      {
        "": "EU payments: read / wanted",
        kafka: `${kafkaRead.length} / ${kafkaWanted}`,
        rabbitmq: `${euPayments.length} / ${euPayments.length}`,
      },
      {
        "": "each order's steps in order",
        kafka: yesNo(kafkaPerKey),
        rabbitmq: yesNo(rabbitPerKey),
      },
      {
        "": "all events in production order",
        kafka: yesNo(kafkaGlobal),
        rabbitmq: yesNo(rabbitGlobal),
      },
      { "": "idle group members", kafka: `${idle} of ${members.length}`, rabbitmq: "none" },
      {
        "": "after a crash: processed again / lost",
        kafka: `${kafkaCrash.again.length} / ${kafkaCrash.lost}`,
        rabbitmq: `${rabbitCrash.again.length} / ${rabbitCrash.lost}`,
      },
    ]);

    ctx.claim(
      "Kafka kept every event after it was consumed, and a new group replayed them all from offset 0",
      leftInLog === events.length && replayed.length === events.length && fromZero === PARTITIONS,
    );
    ctx.claim(
      "RabbitMQ deleted each event once it was acked: a late reader got nothing",
      leftInQueue === 0 && lateRabbit.length === 0,
    );
    ctx.claim(
      "Kafka kept each order's events in order (one key, one partition), but not the global order",
      kafkaPerKey && !kafkaGlobal,
    );
    ctx.claim(
      `a group scales to its partition count: of ${members.length} members on ${PARTITIONS} partitions, one sat idle`,
      idle === 1 && idleGot === 0 && shipped.length === events.length,
    );
    ctx.claim(
      "RabbitMQ routed by pattern in the broker: eu-payments got exactly the order.paid.eu events",
      euPayments.length === events.filter(wanted).length && euPayments.every(wanted),
    );
    ctx.claim(
      "after a crash RabbitMQ redelivered only the unacked event; Kafka re-read everything since the last commit",
      rabbitCrash.again.length === 1 &&
        kafkaCrash.again.length === 3 &&
        rabbitCrash.lost === 0 &&
        kafkaCrash.lost === 0,
    );
  },
});

const yesNo = (holds: boolean) => (holds ? "yes" : "no");
