import { describe, expect, it } from "@jest/globals";
import { waitUntil } from "@playground/kit";
import { insertLoad, pushLoad } from "../src/load.js";
import { promoteRedis, roleOf } from "../src/redis-replication.js";
import { connect, promote } from "../src/replication.js";
import { freshTable, startPostgresPair, startRedisPair, uniqueName } from "./fixtures.js";

// Each test crashes its own primary, so each starts a pair of its own.
describe("PostgreSQL failover", () => {
  /** A pair under a steady insert load whose primary has just been killed. */
  async function primaryKilledUnderLoad() {
    const postgres = await startPostgresPair();
    const { handle, db } = postgres;
    const table = await freshTable(db, "failover");
    const writer = await connect(handle.primary.url);
    const load = insertLoad(writer, table);
    await waitUntil("100 acknowledged writes", () => load.acknowledged.length >= 100, {
      timeoutMs: 20_000,
    });
    await handle.primary.kill();
    await load.done;
    return {
      db,
      table,
      load,
      async [Symbol.asyncDispose]() {
        await writer.end();
        await postgres[Symbol.asyncDispose]();
      },
    };
  }

  it("when the primary is killed, then the replica keeps serving reads but refuses writes until it is promoted", async () => {
    // Arrange
    await using crashed = await primaryKilledUnderLoad();
    const { db, table } = crashed;

    // Act
    const rowsOnReplica = (await db.read(`select id from ${table}`)).rowCount;
    const write = db.replica.query(`insert into ${table} (id) values (-1)`);

    // Assert
    expect(rowsOnReplica).toBeGreaterThan(0);
    await expect(write).rejects.toThrow("cannot execute INSERT in a read-only transaction");
  });

  it("when the replica is promoted after the primary is killed, then it serves every row it had and accepts writes", async () => {
    // Arrange
    await using crashed = await primaryKilledUnderLoad();
    const { db, table, load } = crashed;
    const ids = async () =>
      (await db.replica.query<{ id: number }>(`select id from ${table} order by id`)).rows.map(
        (r) => r.id,
      );
    // Whatever the replica shows once its WAL is replayed is what it had.
    await waitUntil(
      "the replica to finish replaying",
      async () => {
        const { rows } = await db.replica.query<{ done: boolean }>(
          "select pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() as done",
        );
        return rows[0]!.done;
      },
      { timeoutMs: 20_000 },
    );
    const had = await ids();

    // Act
    await promote(db.replica);
    const after = await ids();
    const newWrite = await db.replica.query(`insert into ${table} (id) values (-1)`);

    // Assert
    expect(had.length).toBeGreaterThan(0);
    expect(after).toEqual(had);
    expect(had.every((id) => id <= load.attempted)).toBe(true);
    expect(newWrite.rowCount).toBe(1);
  });
});

describe("Redis failover", () => {
  async function primaryKilledUnderLoad() {
    const redis = await startRedisPair();
    const key = uniqueName("events");
    const load = pushLoad(redis.primary, key);
    await waitUntil("100 acknowledged writes", () => load.acknowledged.length >= 100, {
      timeoutMs: 20_000,
    });
    await redis.handle.primary.kill();
    await load.done;
    return { replica: redis.replica, key, load, [Symbol.asyncDispose]: redis[Symbol.asyncDispose] };
  }

  it("when the primary is killed, then the replica keeps serving reads but refuses writes with READONLY", async () => {
    // Arrange
    await using crashed = await primaryKilledUnderLoad();
    const { replica, key } = crashed;

    // Act
    const length = await replica.llen(key);
    const write = replica.rpush(key, -1);

    // Assert
    expect(length).toBeGreaterThan(0);
    await expect(write).rejects.toThrow(/^READONLY/);
  });

  it("when the replica is promoted with REPLICAOF NO ONE, then it serves every item it had and accepts writes", async () => {
    // Arrange
    await using crashed = await primaryKilledUnderLoad();
    const { replica, key, load } = crashed;
    const had = (await replica.lrange(key, 0, -1)).map(Number);

    // Act
    await promoteRedis(replica);
    const after = (await replica.lrange(key, 0, -1)).map(Number);
    const newLength = await replica.rpush(key, -1);

    // Assert
    expect(had.length).toBeGreaterThan(0);
    expect(after).toEqual(had);
    // In order, with no gaps, and at most one beyond the last acknowledgement (in flight at the crash).
    expect(had).toEqual(Array.from({ length: had.length }, (_, i) => i + 1));
    expect(had.length).toBeLessThanOrEqual(load.acknowledged.length + 1);
    expect(await roleOf(replica)).toBe("master");
    expect(newLength).toBe(had.length + 1);
  });
});
