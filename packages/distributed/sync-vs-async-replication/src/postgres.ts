import { poll } from "@playground/kit";
import pg from "pg";

/** A client whose connection errors surface on its queries, never as an uncaught event. */
export async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => {});
  await client.connect();
  return client;
}

/** Resolves once `table` exists on `replica`; rejects after `timeoutMs`. */
export async function untilReplicated(
  replica: pg.Client,
  table: string,
  timeoutMs = 20_000,
): Promise<void> {
  const replicated = await poll(
    async () => {
      const { rows } = await replica.query<{ ok: boolean }>(
        "select to_regclass($1) is not null as ok",
        [table],
      );
      return rows[0]!.ok;
    },
    { timeoutMs, everyMs: 5 },
  );
  if (!replicated)
    throw new Error(
      `Table ${table} did not reach the replica within ${timeoutMs} ms: is it streaming?`,
    );
}

/** Promotes a replica to primary (`pg_promote`) and resolves once it accepts writes. */
export async function promote(replica: pg.Client): Promise<void> {
  await replica.query("select pg_promote(true, 60)");
  const { rows } = await replica.query<{ recovering: boolean }>(
    "select pg_is_in_recovery() as recovering",
  );
  if (rows[0]!.recovering)
    throw new Error("pg_promote() returned but the server is still a replica: check its logs.");
}

/** How many client backends on `primary` are waiting for a synchronous standby right now. */
export async function syncRepWaiters(primary: pg.Client): Promise<number> {
  const { rows } = await primary.query<{ n: number }>(
    "select count(*)::int as n from pg_stat_activity where wait_event = 'SyncRep'",
  );
  return rows[0]!.n;
}
