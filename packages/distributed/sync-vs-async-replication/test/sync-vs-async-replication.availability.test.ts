import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { settlesWithin, waitUntil } from "@playground/kit";
import type pg from "pg";
import { type Pair, startPair } from "./fixtures.js";

/** The wait events of the backends running an INSERT into `table`. */
async function waitEvents(primary: pg.Client, table: string): Promise<(string | null)[]> {
  const { rows } = await primary.query<{ wait_event: string | null }>(
    "select wait_event from pg_stat_activity where query like $1",
    [`insert into ${table}%`],
  );
  return rows.map((row) => row.wait_event);
}

/** Starts an INSERT on a connection of its own; `insert` settles when the primary answers. */
async function startInsert(pair: Pair, table: string, setup: string[] = []) {
  const writer = await pair.connection();
  for (const statement of setup) await writer.query(statement);
  const notices: string[] = [];
  writer.on("notice", (notice) => notices.push(`${notice.severity}: ${notice.message}`));
  const { rows } = await writer.query<{ pid: number }>("select pg_backend_pid() as pid");
  const insert = writer.query(`insert into ${table} (id) values (1)`);
  insert.catch(() => {});
  return { insert, pid: rows[0]!.pid, notices };
}

function untilWaitingInSyncRep(primary: pg.Client, table: string): Promise<void> {
  return waitUntil(
    `the INSERT into ${table} waiting in SyncRep`,
    async () => (await waitEvents(primary, table)).includes("SyncRep"),
    { timeoutMs: 10_000, everyMs: 5 },
  );
}

describe("synchronous replication: a lost standby blocks commits", () => {
  let sync: Pair;

  beforeAll(async () => {
    sync = await startPair(true);
  });

  afterAll(async () => {
    await sync?.[Symbol.asyncDispose]();
  });

  it("when the only synchronous standby is paused, then a commit on the primary waits in SyncRep until it resumes", async () => {
    // Arrange
    const table = await sync.table("paused");
    await sync.handle.replica.pause();

    // Act
    let completed: boolean;
    let events: (string | null)[];
    let visibleToOthers: number | null;
    const { insert } = await startInsert(sync, table);
    try {
      await untilWaitingInSyncRep(sync.primary, table);
      completed = await settlesWithin(insert, 1_000);
      events = await waitEvents(sync.primary, table);
      visibleToOthers = (await sync.primary.query(`select * from ${table}`)).rowCount;
    } finally {
      await sync.handle.replica.resume();
    }

    // Assert
    expect(completed).toBe(false);
    expect(events).toEqual(["SyncRep"]);
    expect(visibleToOthers).toBe(0);
    await expect(insert).resolves.toMatchObject({ rowCount: 1 });
  });

  it("when the only synchronous standby is partitioned, then a commit on the primary waits in SyncRep until the link heals", async () => {
    // Arrange
    const table = await sync.table("partitioned");
    sync.handle.link!.blackhole();

    // Act
    let completed: boolean;
    let events: (string | null)[];
    const { insert } = await startInsert(sync, table);
    try {
      await untilWaitingInSyncRep(sync.primary, table);
      completed = await settlesWithin(insert, 1_000);
      events = await waitEvents(sync.primary, table);
    } finally {
      sync.handle.link!.restore();
    }

    // Assert
    expect(completed).toBe(false);
    expect(events).toEqual(["SyncRep"]);
    await expect(insert).resolves.toMatchObject({ rowCount: 1 });
  });

  it("when a transaction sets synchronous_commit to local, then it commits without waiting for the paused standby", async () => {
    // Arrange
    const table = await sync.table("local");
    await sync.handle.replica.pause();

    // Act
    let completed: boolean;
    try {
      const { insert } = await startInsert(sync, table, ["set synchronous_commit = local"]);
      completed = await settlesWithin(insert, 10_000);
    } finally {
      await sync.handle.replica.resume();
    }

    // Assert
    expect(completed).toBe(true);
  });

  it("when the client has a statement_timeout, then it does not bound a commit waiting for the standby", async () => {
    // Arrange
    const table = await sync.table("timeout");
    sync.handle.link!.blackhole();

    // Act
    let completed: boolean;
    const { insert } = await startInsert(sync, table, ["set statement_timeout = 100"]);
    try {
      await untilWaitingInSyncRep(sync.primary, table);
      completed = await settlesWithin(insert, 2_000);
    } finally {
      sync.handle.link!.restore();
    }

    // Assert
    expect(completed).toBe(false);
    await expect(insert).resolves.toMatchObject({ rowCount: 1 });
  });

  it("when a commit waiting for the standby is cancelled, then the client is told it succeeded, with only a WARNING", async () => {
    // Arrange
    const table = await sync.table("cancelled");
    sync.handle.link!.blackhole();

    // Act
    let result: pg.QueryResult;
    let notices: string[];
    let onReplica: number | null;
    try {
      const started = await startInsert(sync, table);
      notices = started.notices;
      await untilWaitingInSyncRep(sync.primary, table);
      await sync.primary.query("select pg_cancel_backend($1)", [started.pid]);
      result = await started.insert;
      onReplica = (await sync.replica.query(`select * from ${table}`)).rowCount;
    } finally {
      sync.handle.link!.restore();
    }

    // Assert
    expect(result.rowCount).toBe(1);
    expect(notices).toEqual([
      "WARNING: canceling wait for synchronous replication due to user request",
    ]);
    expect((await sync.primary.query(`select * from ${table}`)).rowCount).toBe(1);
    expect(onReplica).toBe(0);
  });
});

describe("asynchronous replication: a lost replica does not block commits", () => {
  let async: Pair;

  beforeAll(async () => {
    async = await startPair(false);
  });

  afterAll(async () => {
    await async?.[Symbol.asyncDispose]();
  });

  it("when the asynchronous replica is paused, then commits on the primary carry on", async () => {
    // Arrange
    const table = await async.table("paused");
    await async.handle.replica.pause();

    // Act
    let completed: boolean;
    try {
      const inserts = Promise.all(
        Array.from({ length: 50 }, () =>
          async.primary.query(`insert into ${table} default values`),
        ),
      );
      completed = await settlesWithin(inserts, 10_000);
    } finally {
      await async.handle.replica.resume();
    }

    // Assert
    expect(completed).toBe(true);
    expect((await async.primary.query(`select * from ${table}`)).rowCount).toBe(50);
  });

  it("when the asynchronous replica is partitioned, then commits on the primary carry on while it misses them", async () => {
    // Arrange
    const table = await async.table("partitioned");
    async.handle.link!.blackhole();

    // Act
    let completed: boolean;
    let onReplica: number | null;
    try {
      const inserts = Promise.all(
        Array.from({ length: 50 }, () =>
          async.primary.query(`insert into ${table} default values`),
        ),
      );
      completed = await settlesWithin(inserts, 10_000);
      onReplica = (await async.replica.query(`select * from ${table}`)).rowCount;
    } finally {
      async.handle.link!.restore();
    }

    // Assert
    expect(completed).toBe(true);
    expect(onReplica).toBe(0);
  });
});
