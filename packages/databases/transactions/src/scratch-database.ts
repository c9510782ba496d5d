import { randomBytes } from "node:crypto";
import { connect, type Engine, type Session } from "./sessions.js";

/**
 * A database of our own on a shared PostgreSQL or MariaDB server, so tests
 * and demos can run side by side: created with a unique name, dropped on
 * dispose. Close every session opened on it first; MariaDB's DROP DATABASE
 * waits for them.
 */
export class ScratchDatabase {
  private constructor(
    readonly engine: Engine,
    private readonly serverUrl: string,
    readonly name: string,
    readonly url: string,
  ) {}

  /** Creates `<prefix>_<pid>_<random>` on the server at `serverUrl`. */
  static async create(engine: Engine, serverUrl: string, prefix: string): Promise<ScratchDatabase> {
    const name = `${prefix}_${process.pid}_${randomBytes(4).toString("hex")}`;
    await onServer(engine, serverUrl, `CREATE DATABASE ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return new ScratchDatabase(engine, serverUrl, name, url.toString());
  }

  /** A new session in this database. */
  connect(): Promise<Session> {
    return connect(this.engine, this.url);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    const force = this.engine === "postgres" ? " WITH (FORCE)" : "";
    await onServer(this.engine, this.serverUrl, `DROP DATABASE IF EXISTS ${this.name}${force}`);
  }
}

async function onServer(engine: Engine, serverUrl: string, sql: string): Promise<void> {
  const session = await connect(engine, serverUrl);
  try {
    await session.query(sql);
  } finally {
    await session.close();
  }
}
