import pg from "pg";

// PACELC finishes CAP's sentence: if there is a Partition, choose
// Availability or Consistency; Else, choose Latency or Consistency. The
// synchronous standby that makes PostgreSQL refuse to diverge during a
// partition also makes every commit wait for a round trip to the standby
// when nothing is wrong. We time the same insert both ways on the same
// primary: `synchronous_commit = remote_apply` waits for the standby to
// apply it, `local` returns once it is in the primary's own WAL.

/** How a commit is acknowledged: after the standby applied it, or locally only. */
export type CommitMode = "remote_apply" | "local";

/**
 * Times `commits` single-row inserts in each mode on the primary at `url`;
 * resolves with each latency in ms, per mode.
 */
export async function commitLatencies(
  url: string,
  commits: number,
): Promise<Record<CommitMode, number[]>> {
  const modes: CommitMode[] = ["local", "remote_apply"];
  const clients = modes.map((mode) => ({ mode, client: new pg.Client({ connectionString: url }) }));
  try {
    for (const { mode, client } of clients) {
      await client.connect();
      await client.query(`set synchronous_commit = ${mode}`);
    }
    await clients[0]!.client.query(
      "create table if not exists pacelc (id bigserial primary key, mode text)",
    );
    // The two modes take turns, after a few untimed commits each, so that a
    // cold cache or a busy moment on a shared machine hits both alike.
    const latencies: Record<CommitMode, number[]> = { local: [], remote_apply: [] };
    for (let i = -3; i < commits; i++) {
      for (const { mode, client } of clients) {
        const start = performance.now();
        await client.query("insert into pacelc (mode) values ($1)", [mode]);
        if (i >= 0) latencies[mode].push(performance.now() - start);
      }
    }
    return latencies;
  } finally {
    await Promise.all(clients.map(({ client }) => client.end()));
  }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}
