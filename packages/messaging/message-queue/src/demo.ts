import { setTimeout as sleep } from "node:timers/promises";
import { defineDemo } from "@playground/kit";
import amqp from "amqplib";
import { declareWithDeadLetter, nextDeadLetter } from "./dead-letter.js";
import { declareWorkQueue, makeOrders, publishOrders, startWorker } from "./message-queue.js";
import {
  createQueueWithDlq,
  deleteQueues,
  deleteReceived,
  receiveOne,
  sendOrder,
  sqsClient,
} from "./sqs-queue.js";
import { WorkerProcess } from "./worker-process.js";

const ORDERS = 12;
const DELIVERY_LIMIT = 2;

export default defineDemo({
  title: "Message queue",
  services: ["rabbitmq", "sqs"],
  async run(ctx) {
    const run = Math.random().toString(36).slice(2, 8);
    const url = ctx.services.rabbitmq.url;
    const connection = await amqp.connect(url);
    ctx.defer(() => connection.close());
    const channel = await connection.createConfirmChannel();

    // Part 1. A producer and two competing workers, each a process of its
    // own. With `prefetch` 1 the broker hands each worker one order at a
    // time, and the next one only after the ack.
    const queue = `orders-${run}`;
    await declareWorkQueue(channel, queue);
    ctx.defer(() => channel.deleteQueue(queue));
    const workMs = ctx.fast ? 30 : 300;
    ctx.say(
      `RabbitMQ: ${ORDERS} orders go into the durable queue ${queue}. Two worker processes ` +
        `compete for them, prefetch 1, ${workMs} ms per order. worker-1 will die mid-order.`,
    );
    const base = { url, queue, prefetch: 1, workMs };
    const [doomed, survivor] = await Promise.all([
      WorkerProcess.start({ ...base, name: "worker-1", stallOnNth: 3 }),
      WorkerProcess.start({ ...base, name: "worker-2" }),
    ]);
    for (const worker of [doomed, survivor]) {
      ctx.defer(() => worker.kill());
      ctx.event(worker.name, "started", `pid ${worker.pid}, consuming ${queue}`);
      worker.on((event) => {
        if (event.kind === "took" && event.redelivered) {
          ctx.event(worker.name, `took ${event.id} (redelivered)`, "the broker gave it back");
        } else if (event.kind === "processed") {
          ctx.event(worker.name, `processed ${event.id}`);
        }
      });
    }

    await publishOrders(channel, queue, makeOrders(ORDERS));
    ctx.event("producer", `published ${ORDERS} orders`, "persistent, every one confirmed");

    // worker-1 finishes its third order but hangs before the ack. We kill
    // it with SIGKILL: no clean close, no goodbye. Its TCP connection drops,
    // and the broker returns the unacked order to the queue.
    await doomed.until(() => doomed.processed.length === 3);
    const inHand = doomed.processed.at(-1)!;
    ctx.event("worker-1", `hangs before acking ${inHand}`);
    await doomed.kill();
    ctx.state("worker-1", "running", "killed (SIGKILL)");

    const ids = makeOrders(ORDERS).map((o) => o.id);
    const processed = () => [...doomed.processed, ...survivor.processed];
    await survivor.until(() => ids.every((id) => processed().includes(id)));
    await survivor.stop();
    const lost = ids.filter((id) => !processed().includes(id)).length;
    const twice = processed().length - new Set(processed()).size;
    const redelivered = survivor.took.filter((t) => t.redelivered).map((t) => t.id);
    ctx.metric("orders lost", lost, "");
    ctx.metric("orders processed twice", twice, "");
    ctx.say(
      `Every order was processed (${lost} lost), and ${inHand} twice: at-least-once ` +
        "delivery, so processing must be idempotent.",
    );

    // Part 2. Prefetch decides who gets what. A slow worker and a fast one
    // share 40 orders, first with prefetch 1, then with prefetch 100.
    ctx.say(
      "Prefetch: a slow worker (150 ms an order) and a fast one (2 ms) share 40 orders, " +
        "with prefetch 1 and then with prefetch 100.",
    );
    const split: Record<number, { slow: number; fast: number; ms: number }> = {};
    for (const prefetch of [1, 100]) {
      const shared = `orders-${run}-prefetch-${prefetch}`;
      await declareWorkQueue(channel, shared);
      ctx.defer(() => channel.deleteQueue(shared));
      let finished = 0;
      let allDone!: () => void;
      const done = new Promise<void>((resolve) => {
        allDone = resolve;
      });
      const pair = [];
      for (const [name, ms] of [
        ["slow", 150],
        ["fast", 2],
      ] as const) {
        const worker = await startWorker(connection, shared, {
          name,
          prefetch,
          async handle() {
            await sleep(ms);
            if (++finished === 40) allDone();
          },
        });
        ctx.defer(() => worker.stop());
        pair.push(worker);
      }
      const started = performance.now();
      await publishOrders(channel, shared, makeOrders(40));
      await done;
      const elapsed = performance.now() - started;
      for (const worker of pair) await worker.stop(); // waits for the last acks
      const [slow, fast] = pair.map((w) => w.done.length) as [number, number];
      split[prefetch] = { slow, fast, ms: elapsed };
      ctx.event(
        "broker",
        `prefetch ${prefetch}: slow did ${slow}, fast did ${fast}`,
        `all 40 done in ${Math.round(split[prefetch].ms)} ms`,
      );
    }
    ctx.metric("prefetch 1: orders done by the fast worker", split[1]!.fast, "of 40");
    ctx.metric("prefetch 100: orders done by the fast worker", split[100]!.fast, "of 40");

    // Part 3. A poison order fails every time. A quorum queue counts the
    // deliveries itself and, past `x-delivery-limit`, dead-letters it.
    const dl = await declareWithDeadLetter(channel, `payments-${run}`, DELIVERY_LIMIT);
    ctx.defer(() => channel.deleteQueue(dl.deadLetterQueue));
    ctx.defer(() => channel.deleteQueue(dl.queue));
    ctx.say(
      `A quorum queue with x-delivery-limit ${DELIVERY_LIMIT}: a poison order is tried ` +
        `${DELIVERY_LIMIT + 1} times, then dead-lettered to ${dl.deadLetterQueue}.`,
    );
    let attempts = 0;
    const good = makeOrders(2, "payment");
    let goodLeft = good.length;
    let allPaid!: () => void;
    const paidUp = new Promise<void>((resolve) => {
      allPaid = resolve;
    });
    const deadLettered = nextDeadLetter(channel, dl.deadLetterQueue);
    const payer = await startWorker(connection, dl.queue, {
      name: "payer",
      prefetch: 1,
      async handle(order) {
        if (!order.poison) {
          if (--goodLeft === 0) allPaid();
          return;
        }
        attempts++;
        ctx.event("payer", `${order.id} failed (attempt ${attempts})`, "nack, requeue");
        throw new Error(`cannot pay ${order.id}`);
      },
    });
    ctx.defer(() => payer.stop());
    await publishOrders(channel, dl.queue, [good[0]!, { id: "poison-1", poison: true }, good[1]!]);
    const [dead] = await Promise.all([deadLettered, paidUp]);
    ctx.event(
      "broker",
      `${dead.order.id} dead-lettered`,
      `reason ${dead.reason}, from ${dead.from}`,
    );
    await payer.stop();
    const paid = new Set(payer.done.map((d) => d.order.id));

    // Part 4. SQS has no acks: a received message is hidden for the
    // visibility timeout, and deleting it is the ack. Not deleted, it comes
    // back; received `maxReceiveCount` times, it moves to the DLQ.
    const sqs = sqsClient(ctx.services.sqs.url);
    ctx.defer(() => sqs.destroy());
    const queues = await createQueueWithDlq(sqs, `orders-${run}`, {
      visibilityTimeoutSeconds: 1,
      maxReceiveCount: 2,
    });
    ctx.defer(() => deleteQueues(sqs, queues));
    ctx.say("SQS (ElasticMQ): visibility timeout 1 s, maxReceiveCount 2, a DLQ beside it.");
    await sendOrder(sqs, queues.queueUrl, { id: "order-sqs-1" });
    await sendOrder(sqs, queues.queueUrl, { id: "poison-sqs-1", poison: true });
    const sqsReceives: { id: string; count: number }[] = [];
    let hiddenSeenEmpty = false;
    let sqsDone = 0;
    let sqsDead: string | undefined;
    for (let polls = 0; !sqsDead && polls < 10; polls++) {
      const received = await receiveOne(sqs, queues.queueUrl, 2);
      if (!received) {
        const dlq = await receiveOne(sqs, queues.deadLetterQueueUrl, 1);
        if (dlq) {
          sqsDead = dlq.order.id;
          ctx.event("sqs", `${dlq.order.id} moved to the DLQ`, "after 2 receives, never deleted");
        }
        continue;
      }
      sqsReceives.push({ id: received.order.id, count: received.receiveCount });
      if (!received.order.poison) {
        await deleteReceived(sqs, queues.queueUrl, received);
        sqsDone++;
        ctx.event("consumer", `received ${received.order.id} and deleted it`, "the SQS ack");
        continue;
      }
      ctx.event(
        "consumer",
        `received ${received.order.id} (receive #${received.receiveCount}), failed, not deleted`,
        "hidden for 1 s",
      );
      if (received.receiveCount === 1) {
        hiddenSeenEmpty = (await receiveOne(sqs, queues.queueUrl, 0)) === undefined;
        ctx.event("consumer", "receives at once: nothing", "the message is invisible, not gone");
      }
    }

    ctx.table([
      {
        queue: "RabbitMQ work queue",
        published: ORDERS,
        processed: new Set(processed()).size,
        "processed twice": twice,
        lost,
        "dead-lettered": 0,
      },
      {
        queue: "RabbitMQ quorum queue",
        published: good.length + 1,
        processed: paid.size,
        "processed twice": payer.done.length - paid.size,
        lost: good.length + 1 - paid.size - 1,
        "dead-lettered": 1,
      },
      {
        queue: "SQS queue",
        published: 2,
        processed: sqsDone,
        "processed twice": 0,
        lost: 2 - sqsDone - (sqsDead ? 1 : 0),
        "dead-lettered": sqsDead ? 1 : 0,
      },
    ]);

    ctx.claim(
      "competing workers shared the orders between them",
      doomed.processed.length > 0 && survivor.processed.length > 0,
    );
    ctx.claim(
      "with prefetch 1 the fast worker did most orders; with prefetch 100 they were pushed round-robin, whatever the speed",
      split[1]!.fast > split[1]!.slow * 2 && Math.abs(split[100]!.fast - split[100]!.slow) <= 4,
    );
    ctx.claim(
      "the order in hand when worker-1 was killed came back redelivered, and no order was lost",
      redelivered.includes(inHand) && survivor.processed.includes(inHand) && lost === 0,
    );
    ctx.claim(
      "at-least-once means duplicates: the one order done but never acked was processed twice",
      twice === 1,
    );
    ctx.claim(
      `the poison order was tried ${DELIVERY_LIMIT + 1} times, then dead-lettered; the good ones were done`,
      attempts === DELIVERY_LIMIT + 1 &&
        dead.reason === "delivery_limit" &&
        payer.done.length === good.length,
    );
    ctx.claim(
      "SQS hid the undeleted message for the visibility timeout, then handed it out again",
      hiddenSeenEmpty &&
        sqsReceives
          .filter((r) => r.id === "poison-sqs-1")
          .map((r) => r.count)
          .join() === "1,2",
    );
    ctx.claim(
      "SQS moved the message to its DLQ after maxReceiveCount receives",
      sqsDead === "poison-sqs-1" && sqsDone === 1,
    );
  },
});
