// A writer process: the order service, or its outbox relay. Tests and the
// demo start it as a child process and may have it crash at one precise
// point: it sends itself SIGKILL there, which no code of ours can catch,
// exactly as the kernel's OOM killer or a pulled plug would.
import pg from "pg";
import type { OrderPlaced } from "./events.js";
import { idempotentProducer, kafkaClient } from "./kafka.js";
import {
  type CrashPoints,
  placeOrderNaively,
  placeOrderWithOutbox,
  relayOutbox,
} from "./outbox.js";

/** What the writer is asked to do, passed as JSON in argv. */
export interface WriterJob {
  mode: "naive" | "outbox" | "relay";
  postgres: string;
  kafka: string;
  schema: string;
  topic: string;
  order?: OrderPlaced;
  crashAt?: keyof CrashPoints;
}

const say = (message: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify(message)}\n`);

const job = JSON.parse(process.argv[2]!) as WriterJob;
const db = new pg.Client({ connectionString: job.postgres });
await db.connect();
const producer = idempotentProducer(kafkaClient(job.kafka, "order-writer"));
await producer.connect();

const crash: CrashPoints = {};
if (job.crashAt) {
  crash[job.crashAt] = () => {
    say({ type: "crashing", at: job.crashAt });
    process.kill(process.pid, "SIGKILL");
  };
}

switch (job.mode) {
  case "naive":
    await placeOrderNaively(db, producer, job.schema, job.topic, job.order!, crash);
    break;
  case "outbox":
    await placeOrderWithOutbox(db, job.schema, job.topic, job.order!, crash);
    break;
  case "relay":
    say({ type: "relayed", count: await relayOutbox(db, producer, job.schema, crash) });
    break;
}
say({ type: "done" });
await producer.disconnect();
await db.end();
