import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import type { Order } from "./message-queue.js";

// SQS has no connections, channels or acks. A consumer asks for messages
// over HTTP, and every message it receives is hidden from everyone else for
// the queue's visibility timeout. Deleting the message is the ack. If the
// consumer never deletes it (it crashed, it is slow, it forgot), the message
// simply becomes visible again when the timeout runs out: redelivery runs on
// a clock, where RabbitMQ's runs on the consumer's connection.

/** An SQS client for ElasticMQ or any other SQS endpoint (`url`). */
export function sqsClient(url: string): SQSClient {
  // The SDK warns once per process that versions after January 2027 will need
  // Node 22. We pin this version, so the warning only clutters the demo.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  return new SQSClient({
    endpoint: url,
    region: "us-east-1",
    credentials: { accessKeyId: "playground", secretAccessKey: "playground" },
  });
}

export interface SqsQueues {
  queueUrl: string;
  deadLetterQueueUrl: string;
}

// The dead-letter queue is an ordinary queue; the main queue points at it
// with a `RedrivePolicy`. SQS counts how often each message was received
// (`ApproximateReceiveCount`), and the receive that would take it past
// `maxReceiveCount` moves it to the DLQ instead of handing it out.
export async function createQueueWithDlq(
  client: SQSClient,
  name: string,
  options: { visibilityTimeoutSeconds: number; maxReceiveCount: number },
): Promise<SqsQueues> {
  const dlq = await client.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }));
  const deadLetterQueueUrl = dlq.QueueUrl!;
  const { Attributes } = await client.send(
    new GetQueueAttributesCommand({ QueueUrl: deadLetterQueueUrl, AttributeNames: ["QueueArn"] }),
  );
  const main = await client.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: {
        VisibilityTimeout: String(options.visibilityTimeoutSeconds),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: Attributes!.QueueArn,
          maxReceiveCount: options.maxReceiveCount,
        }),
      },
    }),
  );
  return { queueUrl: main.QueueUrl!, deadLetterQueueUrl };
}

export async function deleteQueues(client: SQSClient, queues: SqsQueues): Promise<void> {
  await client.send(new DeleteQueueCommand({ QueueUrl: queues.queueUrl }));
  await client.send(new DeleteQueueCommand({ QueueUrl: queues.deadLetterQueueUrl }));
}

export async function sendOrder(client: SQSClient, queueUrl: string, order: Order): Promise<void> {
  await client.send(
    new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(order) }),
  );
}

/** One received message: the order, and what deleting or extending it needs. */
export interface Received {
  order: Order;
  messageId: string;
  /** Valid for this receive only; the next receive of the same message gets a new one. */
  receiptHandle: string;
  /** How many times SQS has handed this message out, this time included. */
  receiveCount: number;
}

// `WaitTimeSeconds` makes the receive a long poll: SQS answers as soon as a
// message is visible, or after that many seconds with nothing. So a
// consumer waits for messages without a busy loop, and so do our tests.
export async function receiveOne(
  client: SQSClient,
  queueUrl: string,
  waitSeconds: number,
): Promise<Received | undefined> {
  const { Messages } = await client.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 1,
      WaitTimeSeconds: waitSeconds,
      MessageSystemAttributeNames: ["ApproximateReceiveCount"],
    }),
  );
  const message = Messages?.[0];
  if (!message) return undefined;
  return {
    order: JSON.parse(message.Body!) as Order,
    messageId: message.MessageId!,
    receiptHandle: message.ReceiptHandle!,
    receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 0),
  };
}

/** The ack: the message is done and must never be handed out again. */
export async function deleteReceived(
  client: SQSClient,
  queueUrl: string,
  received: Received,
): Promise<void> {
  await client.send(
    new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: received.receiptHandle }),
  );
}

// A job that may outlast the visibility timeout must say so, or SQS hands
// its message to another consumer while it is still working: a duplicate
// with nobody crashed. `ChangeMessageVisibility` restarts the clock, and a
// long job calls it periodically, as a heartbeat.
export async function extendVisibility(
  client: SQSClient,
  queueUrl: string,
  received: Received,
  seconds: number,
): Promise<void> {
  await client.send(
    new ChangeMessageVisibilityCommand({
      QueueUrl: queueUrl,
      ReceiptHandle: received.receiptHandle,
      VisibilityTimeout: seconds,
    }),
  );
}
