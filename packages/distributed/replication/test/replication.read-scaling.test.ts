import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { settlesWithin, waitUntil } from "@playground/kit";
import {
  freshTable,
  type PostgresPair,
  type RedisPair,
  startPostgresPair,
  startRedisPair,
  uniqueName,
} from "./fixtures.js";

describe("PostgreSQL: a primary and a streaming replica", () => {
  let postgres: PostgresPair;

  beforeAll(async () => {
    postgres = await startPostgresPair();
  });

  afterAll(async () => {
    await postgres?.[Symbol.asyncDispose]();
  });

  it("when a row is written on the primary, then a read served by the replica returns it", async () => {
    // Arrange
    const table = await freshTable(postgres.db);

    // Act
    await postgres.db.write(`insert into ${table} (id, v) values (1, 'hello')`);
    await waitUntil(
      "the row reaching the replica",
      async () => (await postgres.db.read(`select 1 from ${table}`)).rowCount === 1,
      { timeoutMs: 20_000 },
    );
    const { rows } = await postgres.db.read(
      `select v, pg_is_in_recovery() as "servedByReplica" from ${table}`,
    );

    // Assert
    expect(rows).toEqual([{ v: "hello", servedByReplica: true }]);
  });

  it("when a client writes to the replica, then it is refused as a read-only transaction", async () => {
    // Arrange
    const table = await freshTable(postgres.db);

    // Act
    const write = postgres.db.replica.query(`insert into ${table} (id) values (1)`);

    // Assert
    await expect(write).rejects.toThrow("cannot execute INSERT in a read-only transaction");
    expect((await postgres.db.read(`select * from ${table}`, [], "primary")).rowCount).toBe(0);
  });

  it("when the primary is frozen, then the replica still serves reads", async () => {
    // Arrange
    const table = await freshTable(postgres.db);
    await postgres.db.write(`insert into ${table} (id) values (1), (2), (3)`);
    await postgres.db.waitForReplay();
    await postgres.handle.primary.pause();

    // Act
    let count: unknown;
    let answered: boolean;
    try {
      answered = await settlesWithin(
        postgres.db.read<{ n: number }>(`select count(*)::int as n from ${table}`).then((r) => {
          count = r.rows[0]?.n;
        }),
        10_000,
      );
    } finally {
      await postgres.handle.primary.resume();
    }

    // Assert
    expect(answered).toBe(true);
    expect(count).toBe(3);
  });
});

describe("Redis: a primary and a --replicaof replica", () => {
  let redis: RedisPair;

  beforeAll(async () => {
    redis = await startRedisPair();
  });

  afterAll(async () => {
    await redis?.[Symbol.asyncDispose]();
  });

  it("when a key is set on the primary, then a read on the replica returns it", async () => {
    // Arrange
    const key = uniqueName("greeting");

    // Act
    await redis.primary.set(key, "hello");
    await waitUntil(
      "the key reaching the replica",
      async () => (await redis.replica.exists(key)) === 1,
      { timeoutMs: 20_000 },
    );

    // Assert
    expect(await redis.replica.get(key)).toBe("hello");
  });

  it("when a client writes to the replica, then it is refused with READONLY", async () => {
    // Arrange
    const key = uniqueName("greeting");

    // Act
    const write = redis.replica.set(key, "nope");

    // Assert
    await expect(write).rejects.toThrow(/^READONLY You can't write against a read only replica/);
    expect(await redis.primary.exists(key)).toBe(0);
  });
});
