import { randomBytes } from "node:crypto";
import pg from "pg";

/**
 * A database of our own on a shared PostgreSQL server, so tests and demos can
 * run side by side: created with a unique name, dropped (with any sessions
 * still in it) on dispose.
 */
export class ScratchDatabase {
  /** A pool connected to the new database. */
  readonly pool: pg.Pool;

  private constructor(
    private readonly serverUrl: string,
    readonly name: string,
    readonly url: string,
  ) {
    this.pool = new pg.Pool({ connectionString: url, max: 4 });
    // Dropping the database ends its sessions; an idle one reports that here.
    this.pool.on("error", () => {});
  }

  /**
   * Creates `<prefix>_<pid>_<random>` on the server at `serverUrl`, with
   * `settings` as the default of every session in it.
   */
  static async create(
    serverUrl: string,
    prefix: string,
    settings: Record<string, string | number> = {},
  ): Promise<ScratchDatabase> {
    const name = `${prefix}_${process.pid}_${randomBytes(4).toString("hex")}`;
    await onServer(serverUrl, `CREATE DATABASE ${name}`);
    for (const [key, value] of Object.entries(settings)) {
      await onServer(serverUrl, `ALTER DATABASE ${name} SET ${key} = ${value}`);
    }
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return new ScratchDatabase(serverUrl, name, url.toString());
  }

  /** Drops the database, ending any session still in it (even one mid-query), then the pool. */
  async [Symbol.asyncDispose](): Promise<void> {
    await onServer(this.serverUrl, `DROP DATABASE IF EXISTS ${this.name} WITH (FORCE)`);
    await this.pool.end();
  }
}

async function onServer(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
