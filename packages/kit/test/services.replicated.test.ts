import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Redis } from "ioredis";
import pg from "pg";
import { type ReplicatedHandle, services, settlesWithin, waitUntil } from "../src/index.js";
import { waitForRedisReplication } from "../src/services/replication-checks.js";

const uniqueId = () => `t${Date.now().toString(36)}${randomBytes(4).toString("hex")}`;

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => {});
  await client.connect();
  return client;
}

/**
 * The claims both kinds of streaming replication make. Each test writes to a
 * table of its own, so the order of the tests does not matter.
 */
function describePostgresPair(sync: boolean, claims: (pair: () => Fixture) => void): void {
  describe(`postgresReplicated({ sync: ${sync} })`, () => {
    let fixture: Fixture | undefined;
    beforeAll(async () => {
      const handle = await services.postgresReplicated({ sync });
      fixture = {
        handle,
        primary: await connect(handle.primary.url),
        replica: await connect(handle.replica.url),
      };
    });
    afterAll(async () => {
      await fixture?.primary.end();
      await fixture?.replica.end();
      await fixture?.handle[Symbol.asyncDispose]();
    });
    const pair = () => fixture!;

    it("when a row is written on the primary, then it becomes visible on the replica", async () => {
      // Arrange
      const { primary, replica } = pair();
      const table = uniqueId();
      await primary.query(`create table ${table} (v text)`);
      // Act
      await primary.query(`insert into ${table} values ('hello')`);
      // Assert
      await waitUntil("the row reaching the replica", async () => {
        const exists = await replica.query("select to_regclass($1) is not null as ok", [table]);
        if (!exists.rows[0].ok) return false;
        return (await replica.query(`select v from ${table}`)).rowCount === 1;
      });
      expect((await replica.query(`select v from ${table}`)).rows).toEqual([{ v: "hello" }]);
    });

    it("when a client writes to the replica, then it is refused as a read-only transaction", async () => {
      // Arrange
      const { replica } = pair();
      // Act
      const write = replica.query(`create table ${uniqueId()} (v text)`);
      // Assert
      await expect(write).rejects.toThrow(/read-only transaction/);
    });

    it("when the pair is up, then the replica looks for WAL again 200 ms after losing its stream, not after the default 5 s", async () => {
      // Arrange
      const { replica } = pair();
      // Act
      const { rows } = await replica.query("show wal_retrieve_retry_interval");
      // Assert
      expect(rows).toEqual([{ wal_retrieve_retry_interval: "200ms" }]);
    });

    claims(pair);
  });
}

interface Fixture {
  handle: ReplicatedHandle;
  primary: pg.Client;
  replica: pg.Client;
}

/**
 * Freezes the replica and starts an INSERT on the primary, on a connection of
 * its own; `act` sees the pending INSERT. The replica resumes afterwards,
 * whatever happened, and the INSERT is returned so the test can await it.
 */
async function insertWhileReplicaPaused<T>(
  { handle, primary }: Fixture,
  act: (insert: Promise<unknown>) => Promise<T>,
): Promise<{ during: T; insert: Promise<unknown> }> {
  const table = uniqueId();
  await primary.query(`create table ${table} (v text)`);
  const writer = await connect(handle.primary.url);
  await handle.replica.pause();
  try {
    const insert = writer.query(`insert into ${table} values ('x')`).finally(() => writer.end());
    insert.catch(() => {});
    return { during: await act(insert), insert };
  } finally {
    await handle.replica.resume();
  }
}

describePostgresPair(false, (pair) => {
  it("when the replica is paused, then a commit on the primary still completes", async () => {
    // Arrange (in the helper: a table of its own, the replica paused)
    // Act
    const { during: completedWhilePaused } = await insertWhileReplicaPaused(pair(), (insert) =>
      settlesWithin(insert, 20_000),
    );
    // Assert
    expect(completedWhilePaused).toBe(true);
  });

  it("when the replication link is cut and restored, then the replica streams again within moments, not after a 5 s retry interval", async () => {
    // Arrange: the replica has lost its stream and failed at least once to
    // get it back, so its next try waits a whole retry interval.
    const { handle, primary } = pair();
    const failedReconnects = async () =>
      (await handle.replica.logs()).match(/could not connect to the primary server/g)?.length ?? 0;
    const streaming = async () =>
      (
        await primary.query(
          "select count(*)::int as n from pg_stat_replication where state = 'streaming'",
        )
      ).rows[0].n === 1;
    const failedBefore = await failedReconnects();
    handle.link.cut();
    try {
      await waitUntil("the primary losing its standby", async () => !(await streaming()));
      await waitUntil(
        "the replica failing to reconnect",
        async () => (await failedReconnects()) > failedBefore,
      );
    } finally {
      // Act
      handle.link.restore();
    }
    const restoredAt = performance.now();
    await waitUntil("the replica streaming again", streaming, { timeoutMs: 20_000 });
    const tookMs = performance.now() - restoredAt;
    // Assert
    expect(tookMs).toBeLessThan(2500);
  });
});

describePostgresPair(true, (pair) => {
  it("when the pair is up, then pg_stat_replication on the primary shows replica1 as sync", async () => {
    // Arrange
    const { primary } = pair();
    // Act
    const { rows } = await primary.query(
      "select application_name, state, sync_state from pg_stat_replication",
    );
    // Assert
    expect(rows).toEqual([
      { application_name: "replica1", state: "streaming", sync_state: "sync" },
    ]);
  });

  it("when the replica is paused, then a commit on the primary waits in SyncRep and completes after resume()", async () => {
    // Arrange
    const { primary } = pair();
    const syncRepWaiters = async () =>
      (
        await primary.query(
          "select wait_event from pg_stat_activity where state = 'active' and query like 'insert into %'",
        )
      ).rows.map((row) => row.wait_event);
    // Act
    const { during, insert } = await insertWhileReplicaPaused(pair(), async (pending) => {
      await waitUntil(
        "the INSERT waiting for the replica",
        async () => (await syncRepWaiters()).includes("SyncRep"),
        { timeoutMs: 10_000 },
      );
      return { waitEvents: await syncRepWaiters(), completed: await settlesWithin(pending, 1000) };
    });
    // Assert
    expect(during).toEqual({ waitEvents: ["SyncRep"], completed: false });
    await expect(insert).resolves.toMatchObject({ rowCount: 1 });
  });
});

describe("redisReplicated()", () => {
  let handle: ReplicatedHandle | undefined;
  let primary: Redis | undefined;
  let replica: Redis | undefined;
  beforeAll(async () => {
    handle = await services.redisReplicated();
    primary = new Redis(handle.primary.url);
    replica = new Redis(handle.replica.url);
  });
  afterAll(async () => {
    primary?.disconnect();
    replica?.disconnect();
    await handle?.[Symbol.asyncDispose]();
  });

  it("when a key is set on the primary and WAIT confirms one replica, then the replica reads it", async () => {
    // Arrange
    const key = `replicated:${uniqueId()}`;
    // Act
    await primary!.set(key, "hello");
    const acknowledged = await primary!.wait(1, 1000);
    // Assert
    expect(acknowledged).toBe(1);
    expect(await replica!.get(key)).toBe("hello");
  });

  // Why the pair is not ready when the replica says its link is up: a write
  // must be acknowledged. Here the link looks up and is not.
  it("when the link is blackholed while the replica still reports it up, then the readiness check refuses the pair, saying what WAIT answered", async () => {
    // Arrange
    const link = handle!.link;
    link.blackhole();
    let linkStatus: string | undefined;
    let check: Promise<void>;
    try {
      linkStatus = /master_link_status:(\w+)/.exec(await replica!.info("replication"))?.[1];
      // Act
      check = waitForRedisReplication({
        primary: handle!.primary,
        replica: handle!.replica,
        timeoutMs: 500,
      });
      check.catch(() => {});
      await settlesWithin(check, 5000);
    } finally {
      link.restore();
    }
    // Assert
    expect(linkStatus).toBe("up");
    await expect(check).rejects.toThrow(/did not acknowledge a write .*WAIT 1 \d+ answered 0/);
    expect(await primary!.wait(1, 5000)).toBe(1);
  });

  it("when a client writes to the replica, then it answers READONLY", async () => {
    // Arrange
    const key = `replicated:${uniqueId()}`;
    // Act
    const write = replica!.set(key, "nope");
    // Assert
    await expect(write).rejects.toThrow(/^READONLY/);
    expect(await primary!.get(key)).toBeNull();
  });

  it("when the replication link is blackholed, then the replica misses new writes until restore()", async () => {
    // Arrange
    const key = `replicated:${uniqueId()}`;
    const link = handle!.link!;
    // Act
    link.blackhole();
    await primary!.set(key, "during the partition");
    const acknowledgedDuring = await primary!.wait(1, 300);
    const seenDuring = await replica!.get(key);
    link.restore();
    const acknowledgedAfter = await primary!.wait(1, 5000);
    // Assert
    expect(acknowledgedDuring).toBe(0);
    expect(seenDuring).toBeNull();
    expect(acknowledgedAfter).toBe(1);
    expect(await replica!.get(key)).toBe("during the partition");
  });
});
