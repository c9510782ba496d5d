import { ChaosProxy, type ReplicatedHandle, services } from "@playground/kit";
import pg from "pg";
import type { Client, PartitionableSystem } from "./cap-theorem.js";

// The CP choice: PostgreSQL with a synchronous standby. The primary names
// the standby in `synchronous_standby_names`, so a commit is acknowledged
// only once the standby has the transaction too. We go one step further,
// `synchronous_commit = remote_apply`: once acknowledged, the standby has
// also applied it, so a read there cannot miss it.

const SET_TABLE = "cap_set";
const READ_SET = `select coalesce(array_agg(value order by value), '{}') as values from ${SET_TABLE}`;

/** A primary and its synchronous standby, with `b`'s path to the primary through a proxy. */
export class SyncPostgres implements PartitionableSystem {
  readonly name = "CP: PostgreSQL, synchronous standby";
  readonly a: Client;
  readonly b: Client;

  private constructor(
    readonly pair: ReplicatedHandle,
    private readonly bToPrimary: ChaosProxy,
    private readonly pools: { a: pg.Pool; bWrites: pg.Pool; bReads: pg.Pool },
  ) {
    this.a = client(pools.a, pools.a);
    this.b = client(pools.bWrites, pools.bReads);
  }

  static async start(): Promise<SyncPostgres> {
    const pair = await services.postgresReplicated({ sync: true });
    try {
      const primary = new pg.Client({ connectionString: pair.primary.url });
      await primary.connect();
      await primary.query("alter database postgres set synchronous_commit = 'remote_apply'");
      await primary.query(`create table ${SET_TABLE} (value int primary key)`);
      await primary.end();
      const bToPrimary = await ChaosProxy.start({
        host: pair.primary.host,
        port: pair.primary.port,
      });
      return new SyncPostgres(pair, bToPrimary, {
        a: pool(pair.primary.url),
        bWrites: pool(bToPrimary.urlFor(pair.primary.url)),
        bReads: pool(pair.replica.url),
      });
    } catch (error) {
      await pair[Symbol.asyncDispose]();
      throw error;
    }
  }

  // During the partition every commit waits for a standby it cannot reach.
  // The primary does not refuse: it blocks, and the client's bound turns the
  // wait into a timeout. Meanwhile `b` reads the standby, which has every
  // acknowledged write, because nothing new was acknowledged.
  partition(): void {
    this.pair.link!.blackhole();
    this.bToPrimary.blackhole();
  }

  // On healing, the held WAL reaches the standby, and the commits that were
  // waiting complete: writes the clients gave up on take effect after all.
  async heal(): Promise<void> {
    this.pair.link!.restore();
    this.bToPrimary.restore();
  }

  async final(): Promise<number[]> {
    return agreed(
      () => values(this.pools.a),
      () => values(this.pools.bReads),
    );
  }

  async close(): Promise<void> {
    await Promise.all(Object.values(this.pools).map((p) => p.end()));
    await this.bToPrimary.close();
    await this.pair[Symbol.asyncDispose]();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

function client(writes: pg.Pool, reads: pg.Pool): Client {
  return {
    async write(value) {
      await writes.query(`insert into ${SET_TABLE} values ($1)`, [value]);
    },
    read: () => values(reads),
  };
}

async function values(pool: pg.Pool): Promise<number[]> {
  const { rows } = await pool.query<{ values: number[] }>(READ_SET);
  return rows[0]!.values;
}

function pool(connectionString: string): pg.Pool {
  const created = new pg.Pool({ connectionString, max: 40 });
  created.on("error", () => {}); // an idle client cut by the proxy; the next query reconnects
  return created;
}

/** Reads both nodes until they agree (bounded), and returns the first's answer. */
export async function agreed(
  first: () => Promise<number[]>,
  second: () => Promise<number[]>,
  timeoutMs = 10_000,
): Promise<number[]> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const [x, y] = await Promise.all([first(), second()]);
    if (x.length === y.length && x.every((v, i) => v === y[i])) return x;
    if (performance.now() > deadline)
      throw new Error(`The two nodes still disagree after ${timeoutMs} ms: replication is stuck.`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
