import type { SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import {
  createQueueWithDlq,
  deleteQueues,
  deleteReceived,
  extendVisibility,
  receiveOne,
  type SqsQueues,
  sendOrder,
  sqsClient,
} from "../src/sqs-queue.js";
import { releaseServers, server, unique } from "./helpers.js";

// The same lifecycle over the SQS API, against ElasticMQ.
describe("SQS: the visibility timeout instead of acks", () => {
  const VISIBILITY = 1; // seconds, the smallest SQS allows apart from 0
  let client: SQSClient;
  let queues: SqsQueues;

  beforeAll(async () => {
    client = sqsClient((await server("sqs")).url);
  });

  afterEach(async () => {
    await deleteQueues(client, queues);
  });

  afterAll(async () => {
    client?.destroy();
    await releaseServers();
  });

  const create = async (maxReceiveCount = 5) => {
    queues = await createQueueWithDlq(client, unique("orders"), {
      visibilityTimeoutSeconds: VISIBILITY,
      maxReceiveCount,
    });
    return queues.queueUrl;
  };

  it("when a received message is not deleted, then it stays hidden for the visibility timeout and then reappears with a higher receive count", async () => {
    // Arrange
    const queueUrl = await create();
    await sendOrder(client, queueUrl, { id: "order-1" });

    // Act
    const first = await receiveOne(client, queueUrl, 5);
    const receivedAt = performance.now();
    const whileHidden = await receiveOne(client, queueUrl, 0);
    const again = await receiveOne(client, queueUrl, 10);
    const hiddenForMs = performance.now() - receivedAt;

    // Assert
    expect(first?.order.id).toBe("order-1");
    expect(first?.receiveCount).toBe(1);
    expect(whileHidden).toBeUndefined();
    expect(again?.messageId).toBe(first?.messageId);
    expect(again?.receiveCount).toBe(2);
    // ElasticMQ's clock is coarse (we saw 0.8 s for 1 s), and load only delays us.
    expect(hiddenForMs).toBeGreaterThanOrEqual(VISIBILITY * 1000 * 0.5);
  });

  it("when a received message is deleted, then it never comes back", async () => {
    // Arrange
    const queueUrl = await create();
    await sendOrder(client, queueUrl, { id: "order-1" });
    const first = await receiveOne(client, queueUrl, 5);

    // Act
    await deleteReceived(client, queueUrl, first!);
    const later = await receiveOne(client, queueUrl, VISIBILITY * 2);

    // Assert
    expect(first?.order.id).toBe("order-1");
    expect(later).toBeUndefined();
  });

  it("when a message has been received maxReceiveCount times without being deleted, then SQS moves it to the dead-letter queue", async () => {
    // Arrange
    const maxReceiveCount = 2;
    const queueUrl = await create(maxReceiveCount);
    await sendOrder(client, queueUrl, { id: "poison-1", poison: true });

    // Act: a consumer that fails every time and never deletes.
    const counts: number[] = [];
    for (let i = 0; i < maxReceiveCount; i++) {
      counts.push((await receiveOne(client, queueUrl, 10))?.receiveCount ?? 0);
    }
    const onceMore = await receiveOne(client, queueUrl, VISIBILITY * 2);
    const dead = await receiveOne(client, queues.deadLetterQueueUrl, 10);

    // Assert
    expect(counts).toEqual([1, 2]);
    expect(onceMore).toBeUndefined();
    expect(dead?.order).toEqual({ id: "poison-1", poison: true });
  });

  it("when processing outlasts the visibility timeout, then a second consumer receives the same message while the first is still working", async () => {
    // Arrange
    const queueUrl = await create();
    await sendOrder(client, queueUrl, { id: "order-1" });
    const slow = await receiveOne(client, queueUrl, 5);

    // Act: the slow consumer is still working on it; nobody crashed.
    const other = await receiveOne(client, queueUrl, 10);

    // Assert
    expect(other?.messageId).toBe(slow?.messageId);
    expect(other?.receiveCount).toBe(2);
  });

  it("when the consumer extends the visibility timeout while it works, then no other consumer receives the message", async () => {
    // Arrange
    const queueUrl = await create();
    await sendOrder(client, queueUrl, { id: "order-1" });
    const slow = await receiveOne(client, queueUrl, 5);

    // Act
    await extendVisibility(client, queueUrl, slow!, 30);
    const other = await receiveOne(client, queueUrl, VISIBILITY * 3);

    // Assert
    expect(slow?.order.id).toBe("order-1");
    expect(other).toBeUndefined();
  });
});
