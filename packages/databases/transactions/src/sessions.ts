import mysql from "mysql2/promise";
import pg from "pg";

/** The isolation levels both PostgreSQL and MariaDB accept by these names. */
export type Isolation = "READ COMMITTED" | "REPEATABLE READ" | "SERIALIZABLE";

export type Engine = "postgres" | "mariadb";

type Row = Record<string, unknown>;

/**
 * One connection, so one transaction at a time: the unit that isolation
 * levels talk about. The same interface over PostgreSQL and MariaDB lets us
 * run the very same interleaving on both.
 */
export interface Session {
  readonly engine: Engine;
  /** The server's id for this connection: the backend pid, or the MariaDB thread id. */
  readonly id: number;
  /** Starts a transaction, at `isolation` or the server's default. */
  begin(isolation?: Isolation): Promise<void>;
  /** Runs one statement; parameters are `$1`, `$2`, … on both engines. */
  query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  close(): Promise<void>;
}

/** Opens a PostgreSQL session. */
export async function connectPostgres(url: string): Promise<Session> {
  const client = new pg.Client({ connectionString: url });
  // A killed server makes an idle client emit "error"; unheard, it would
  // crash the process. The next query on it fails anyway, and says why.
  client.on("error", () => {});
  await client.connect();
  const [{ pid }] = (await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid"))
    .rows as [{ pid: number }];
  return {
    engine: "postgres",
    id: pid,
    begin: async (isolation) => {
      await client.query(isolation ? `BEGIN ISOLATION LEVEL ${isolation}` : "BEGIN");
    },
    query: async <R extends Row>(sql: string, params: readonly unknown[] = []) =>
      (await client.query<R>(sql, [...params])).rows,
    close: () => client.end().catch(() => {}),
  };
}

/** Opens a MariaDB session. */
export async function connectMariadb(url: string): Promise<Session> {
  const connection = await mysql.createConnection({ uri: url });
  connection.on("error", () => {});
  return {
    engine: "mariadb",
    id: connection.threadId,
    begin: async (isolation) => {
      // MariaDB sets the level for the next transaction, then starts it.
      if (isolation) await connection.query(`SET TRANSACTION ISOLATION LEVEL ${isolation}`);
      await connection.query("START TRANSACTION");
    },
    query: async <R extends Row>(sql: string, params: readonly unknown[] = []) => {
      // MariaDB's placeholders are positional `?`, so `$2 … $1 … $2` becomes
      // three `?` bound to the second, first and second parameters.
      const order = [...sql.matchAll(/\$(\d+)/g)].map((match) => Number(match[1]) - 1);
      const [rows] = await connection.query(
        sql.replace(/\$\d+/g, "?"),
        order.map((index) => params[index]),
      );
      return (Array.isArray(rows) ? rows : []) as R[];
    },
    close: () => connection.end().catch(() => {}),
  };
}

/** Opens a session on either engine. */
export function connect(engine: Engine, url: string): Promise<Session> {
  return engine === "postgres" ? connectPostgres(url) : connectMariadb(url);
}

/**
 * True for the errors that mean "your transaction lost a race; run it
 * again": PostgreSQL's SQLSTATE 40001 (serialization failure) and 40P01
 * (deadlock), MariaDB's 1213 (deadlock) and 1020 (record changed since
 * last read, with `innodb_snapshot_isolation`).
 */
export function isSerializationFailure(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, errno } = error as { code?: unknown; errno?: unknown };
  return code === "40001" || code === "40P01" || errno === 1213 || errno === 1020;
}

/** The SQLSTATE (PostgreSQL) or error number (MariaDB) of a database error. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const { code, errno } = error as { code?: unknown; errno?: unknown };
  if (typeof errno === "number") return String(errno);
  return typeof code === "string" ? code : undefined;
}

/**
 * Resolves once `target` is waiting for a row lock, as `monitor` sees it in
 * `pg_stat_activity` or `information_schema.innodb_trx`; rejects if `signal`
 * aborts first. This is how a test knows a statement is blocked rather than
 * slow, without sleeping.
 */
export async function lockWait(monitor: Session, target: Session, signal: AbortSignal) {
  const sql =
    monitor.engine === "postgres"
      ? "SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND wait_event_type = 'Lock'"
      : "SELECT 1 FROM information_schema.innodb_trx WHERE trx_mysql_thread_id = $1 AND trx_state = 'LOCK WAIT'";
  // MariaDB refreshes `innodb_trx` only when nobody has read it for 100 ms,
  // so polling it faster than that would show us the same stale rows forever.
  const everyMs = monitor.engine === "postgres" ? 5 : 150;
  while (!signal.aborted) {
    if ((await monitor.query(sql, [target.id])).length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw signal.reason;
}
