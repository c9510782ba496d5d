import { services } from "@playground/kit";
import { createBank } from "../src/bank.js";
import { ScratchDatabase } from "../src/scratch-database.js";
import type { Engine, Session } from "../src/sessions.js";

/**
 * A test file's own bank: a scratch database with the bank's tables on the
 * shared server of `engine`, and every session opened on it closed by
 * `close()`.
 */
export interface TestBank {
  /** A session for setting up and checking, outside the transactions under test. */
  admin: Session;
  connect(): Promise<Session>;
  close(): Promise<void>;
}

export async function openTestBank(engine: Engine, prefix: string): Promise<TestBank> {
  const server = engine === "postgres" ? await services.postgres() : await services.mariadb();
  const db = await ScratchDatabase.create(engine, server.url, prefix);
  const sessions = new Set<Session>();
  const connect = async () => {
    const session = await db.connect();
    sessions.add(session);
    const close = session.close;
    return {
      ...session,
      close: async () => {
        sessions.delete(session);
        await close();
      },
    };
  };
  const admin = await connect();
  await createBank(admin);
  return {
    admin,
    connect,
    async close() {
      await Promise.all([...sessions].map((session) => session.close()));
      await db[Symbol.asyncDispose]();
    },
  };
}

let counter = 0;

/** An account id no other test in this file uses. */
export const uniqueAccount = (name: string) => `${name}-${++counter}`;
