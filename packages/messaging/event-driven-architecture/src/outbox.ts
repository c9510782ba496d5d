import type { Producer } from "kafkajs";
import type { ClientBase } from "pg";
import { publish } from "./event-driven-architecture.js";
import type { OrderPlaced } from "./events.js";

// Placing an order means two writes to two systems: the order row in
// PostgreSQL, and the event in Kafka. No transaction spans both. Whatever
// order we do them in, a crash between the two leaves them disagreeing:
// commit first and crash, and the order exists but nobody hears of it;
// publish first and crash, and everybody hears of an order that does not
// exist. This is the dual-write problem.

/** Where a test or the demo can crash the writer or the relay. */
export interface CrashPoints {
  /** Runs right after COMMIT, before anything is published. */
  afterCommit?: () => void | Promise<void>;
  /** Runs right after Kafka has the events, before the outbox rows are marked sent. */
  afterPublish?: () => void | Promise<void>;
}

/** Creates `<schema>.orders` and `<schema>.outbox`. */
export async function createOrderTables(db: ClientBase, schema: string): Promise<void> {
  await db.query(`CREATE SCHEMA ${schema}`);
  await db.query(`CREATE TABLE ${schema}.orders (
    id text PRIMARY KEY, sku text NOT NULL, quantity int NOT NULL,
    email text NOT NULL, total int NOT NULL)`);
  await db.query(`CREATE TABLE ${schema}.outbox (
    id bigserial PRIMARY KEY, topic text NOT NULL, key text NOT NULL,
    event jsonb NOT NULL, sent_at timestamptz)`);
}

async function insertOrder(db: ClientBase, schema: string, order: OrderPlaced): Promise<void> {
  await db.query(`INSERT INTO ${schema}.orders VALUES ($1, $2, $3, $4, $5)`, [
    order.orderId,
    order.sku,
    order.quantity,
    order.email,
    order.total,
  ]);
}

// The naive version commits, then publishes. It is right every time
// nothing crashes, which is why it survives code review.
/** Saves the order, then publishes its event: two writes, no atomicity. */
export async function placeOrderNaively(
  db: ClientBase,
  producer: Producer,
  schema: string,
  topic: string,
  order: OrderPlaced,
  crash: CrashPoints = {},
): Promise<void> {
  await db.query("BEGIN");
  await insertOrder(db, schema, order);
  await db.query("COMMIT");
  await crash.afterCommit?.();
  await publish(producer, topic, order);
}

// The outbox turns two writes into one. The event goes into an `outbox`
// table in the *same transaction* as the order, so both are saved or
// neither is. Publishing becomes a separate job (the relay, below) that
// can crash and retry as often as it likes: the row waits for it.
/** Saves the order and its event in one transaction; publishes nothing. */
export async function placeOrderWithOutbox(
  db: ClientBase,
  schema: string,
  topic: string,
  order: OrderPlaced,
  crash: CrashPoints = {},
): Promise<void> {
  await db.query("BEGIN");
  try {
    await insertOrder(db, schema, order);
    await db.query(`INSERT INTO ${schema}.outbox (topic, key, event) VALUES ($1, $2, $3)`, [
      topic,
      order.orderId,
      JSON.stringify(order),
    ]);
    await db.query("COMMIT");
  } catch (error) {
    await db.query("ROLLBACK");
    throw error;
  }
  await crash.afterCommit?.();
}

// The relay reads unsent rows in order, publishes them, and marks them
// sent, all inside one transaction. `FOR UPDATE SKIP LOCKED` lets several
// relays run side by side without publishing the same row at once.
// A crash after Kafka has the event but before COMMIT leaves the row
// unsent, and the next run publishes it again: the outbox delivers at
// least once, never at most once, so consumers must skip duplicates.
/** Publishes every unsent outbox row and marks it sent; returns how many. */
export async function relayOutbox(
  db: ClientBase,
  producer: Producer,
  schema: string,
  crash: CrashPoints = {},
): Promise<number> {
  await db.query("BEGIN");
  try {
    const { rows } = await db.query<{ id: string; topic: string; event: OrderPlaced }>(
      `SELECT id, topic, event FROM ${schema}.outbox WHERE sent_at IS NULL
       ORDER BY id LIMIT 100 FOR UPDATE SKIP LOCKED`,
    );
    for (const row of rows) await publish(producer, row.topic, row.event);
    await crash.afterPublish?.();
    await db.query(`UPDATE ${schema}.outbox SET sent_at = now() WHERE id = ANY($1)`, [
      rows.map((row) => row.id),
    ]);
    await db.query("COMMIT");
    return rows.length;
  } catch (error) {
    await db.query("ROLLBACK");
    throw error;
  }
}
