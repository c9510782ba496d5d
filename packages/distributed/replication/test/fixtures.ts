import { randomBytes } from "node:crypto";
import { type ReplicatedHandle, services } from "@playground/kit";
import type { Redis } from "ioredis";
import { closeRedis, redisClient, untilStreaming } from "../src/redis-replication.js";
import { ReplicatedPostgres } from "../src/replication.js";

/** A name no other test uses, fit for a table or a key. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
}

/** Creates a table of its own on the primary and returns once the replica has it too. */
export async function freshTable(db: ReplicatedPostgres, prefix = "t"): Promise<string> {
  const table = uniqueName(prefix);
  await db.write(`create table ${table} (id int primary key, v text)`);
  await db.waitForReplay(20_000);
  return table;
}

/** A PostgreSQL primary with an asynchronous streaming replica, and a session over both. */
export interface PostgresPair {
  handle: ReplicatedHandle;
  db: ReplicatedPostgres;
  [Symbol.asyncDispose](): Promise<void>;
}

export async function startPostgresPair(): Promise<PostgresPair> {
  const handle = await services.postgresReplicated({ sync: false });
  let db: ReplicatedPostgres;
  try {
    db = await ReplicatedPostgres.connect(handle.primary.url, handle.replica.url);
  } catch (error) {
    await handle[Symbol.asyncDispose]();
    throw error;
  }
  return {
    handle,
    db,
    async [Symbol.asyncDispose]() {
      await db.close();
      await handle[Symbol.asyncDispose]();
    },
  };
}

/** A Redis primary with a `--replicaof` replica that is streaming, and a client on each. */
export interface RedisPair {
  handle: ReplicatedHandle;
  primary: Redis;
  replica: Redis;
  [Symbol.asyncDispose](): Promise<void>;
}

export async function startRedisPair(): Promise<RedisPair> {
  const handle = await services.redisReplicated();
  const primary = redisClient(handle.primary.url);
  const replica = redisClient(handle.replica.url);
  const dispose = async () => {
    closeRedis(primary);
    closeRedis(replica);
    await handle[Symbol.asyncDispose]();
  };
  try {
    await untilStreaming(primary);
  } catch (error) {
    await dispose();
    throw error;
  }
  return { handle, primary, replica, [Symbol.asyncDispose]: dispose };
}
