import type { Session } from "./sessions.js";

// Durability is a promise about crashes, so we prove it by crashing the
// server: SIGKILL to every PostgreSQL process at once, no shutdown, no
// checkpoint. On restart PostgreSQL replays its write-ahead log (WAL)
// from the last checkpoint: what has a commit record in the log comes
// back, what has none (a transaction still in flight) never happened.
//
// Two layers can hold a committed transaction's WAL before it is safe:
// PostgreSQL's own shared memory (`wal_buffers`), which dies with the
// server, and the operating system's page cache, which dies only with the
// machine. `synchronous_commit = on` writes the WAL out of the first
// before COMMIT returns; `fsync = on` then flushes it out of the second.

/** A table to commit rows into and look for after a crash. */
export async function createJournal(session: Session): Promise<void> {
  await session.query(
    "CREATE TABLE journal (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, note TEXT NOT NULL)",
  );
}

/** Inserts one row; in autocommit mode that is one committed transaction. Returns its id. */
export async function writeNote(session: Session, note: string): Promise<number> {
  const [row] = await session.query<{ id: string }>(
    "INSERT INTO journal (note) VALUES ($1) RETURNING id",
    [note],
  );
  return Number(row?.id);
}

export async function hasNote(session: Session, id: number): Promise<boolean> {
  return (await session.query("SELECT 1 FROM journal WHERE id = $1", [id])).length === 1;
}

// With `synchronous_commit = off`, COMMIT returns while the commit record
// may still sit in `wal_buffers`. We can see that window: the log has been
// inserted further than it has been written out to the operating system.
// A SIGKILL now loses a transaction the client was told had committed.

/** True when some WAL exists only in PostgreSQL's memory, not yet written to the OS. */
export async function walOnlyInMemory(session: Session): Promise<boolean> {
  const [row] = await session.query<{ behind: boolean }>(
    "SELECT pg_current_wal_insert_lsn() > pg_current_wal_lsn() AS behind",
  );
  return row?.behind === true;
}

// The playground's servers run with `fsync = off` for speed, so a commit
// never waits for the disk there. To measure what `synchronous_commit`
// saves in production we turn `fsync` on, server-wide, and wait until our
// session has picked the new value up.

/** Sets `fsync` on the server (ALTER SYSTEM, reload) and waits until `session` sees it. */
export async function setFsync(session: Session, on: boolean): Promise<void> {
  const value = on ? "on" : "off";
  await session.query(`ALTER SYSTEM SET fsync = ${value}`);
  await session.query("SELECT pg_reload_conf()");
  for (;;) {
    const [row] = await session.query<{ fsync: string }>("SHOW fsync");
    if (row?.fsync === value) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

// Two counters in `pg_stat_wal` show who did the work: `wal_write` counts
// writes of WAL from PostgreSQL's memory to the OS, `wal_sync` flushes
// from the OS to the disk. A backend's counters reach the view when it
// goes idle; `pg_stat_force_next_flush()` makes sure they do right away.

/** How many WAL writes and flushes the server made while `work` ran. */
export async function walActivity(
  session: Session,
  work: () => Promise<unknown>,
): Promise<{ writes: number; syncs: number }> {
  const read = async () => {
    await session.query("SELECT pg_stat_force_next_flush()");
    const [row] = await session.query<{ writes: string; syncs: string }>(
      "SELECT wal_write AS writes, wal_sync AS syncs FROM pg_stat_wal",
    );
    return { writes: Number(row?.writes), syncs: Number(row?.syncs) };
  };
  const before = await read();
  await work();
  const after = await read();
  return { writes: after.writes - before.writes, syncs: after.syncs - before.syncs };
}

/**
 * Commits `pairs` one-row transactions on each session, alternating so both
 * see the same machine load, and returns each session's median commit time
 * in ms. Set `synchronous_commit` on the sessions first.
 */
export async function commitLatency(
  waiting: Session,
  notWaiting: Session,
  pairs: number,
): Promise<{ waiting: number; notWaiting: number }> {
  const times = { waiting: [] as number[], notWaiting: [] as number[] };
  const timed = async (session: Session, into: number[]) => {
    const start = performance.now();
    await writeNote(session, "latency");
    into.push(performance.now() - start);
  };
  for (let i = 0; i < pairs; i++) {
    await timed(waiting, times.waiting);
    await timed(notWaiting, times.notWaiting);
  }
  return { waiting: median(times.waiting), notWaiting: median(times.notWaiting) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}
