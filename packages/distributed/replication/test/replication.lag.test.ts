import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { waitUntil } from "@playground/kit";
import { measureLag } from "../src/lag.js";
import { type ReplicationStatus, replicationStatus } from "../src/replication.js";
import {
  freshTable,
  type PostgresPair,
  type RedisPair,
  startPostgresPair,
  startRedisPair,
  uniqueName,
} from "./fixtures.js";

const WRITES = 200;

describe("PostgreSQL replication lag", () => {
  let postgres: PostgresPair;

  beforeAll(async () => {
    postgres = await startPostgresPair();
  });

  afterAll(async () => {
    await postgres?.[Symbol.asyncDispose]();
  });

  const probeFor = (table: string) => ({
    write: async (seq: number) =>
      void (await postgres.db.write(`insert into ${table} (id) values ($1)`, [seq])),
    latest: async () =>
      (await postgres.db.read<{ n: number }>(`select coalesce(max(id), 0) as n from ${table}`))
        .rows[0]!.n,
  });

  it("when writes run steadily on the PostgreSQL primary, then every acknowledged write becomes visible on the replica after a finite lag", async () => {
    // Arrange
    const table = await freshTable(postgres.db, "lag");

    // Act
    const report = await measureLag(probeFor(table), { writes: WRITES, intervalMs: 5 });

    // Assert
    expect(report.samples).toHaveLength(WRITES);
    expect(report.samples.every(Number.isFinite)).toBe(true);
    expect(report.medianMs).toBeLessThanOrEqual(report.p99Ms);
    expect(report.p99Ms).toBeLessThanOrEqual(report.maxMs);
  });

  /** Inserts rows until `enough(status)` holds or 10 s pass; lag times show only while WAL flows. */
  async function statusUnderLoad(table: string, enough: (status: ReplicationStatus) => boolean) {
    let status: ReplicationStatus | undefined;
    const deadline = performance.now() + 10_000;
    for (let seq = 1; !(status && enough(status)) && performance.now() < deadline; seq++) {
      await postgres.db.write(`insert into ${table} (id) values ($1)`, [seq]);
      status = await replicationStatus(postgres.db.primary);
    }
    return status!;
  }

  it("when the replication link is slowed, then pg_stat_replication reports write, flush and replay lags at least as long", async () => {
    // Arrange
    const delayMs = 100;
    const table = await freshTable(postgres.db, "lag");
    postgres.handle.link!.latency(delayMs);

    // Act
    let after: ReplicationStatus;
    try {
      after = await statusUnderLoad(table, (s) =>
        [s.writeLagMs, s.flushLagMs, s.replayLagMs].every((ms) => ms !== null && ms >= delayMs),
      );
    } finally {
      postgres.handle.link!.restore();
    }

    // Assert
    expect(after).toMatchObject({ name: "replica1", state: "streaming", syncState: "async" });
    expect(after.writeLagMs).toBeGreaterThanOrEqual(delayMs);
    expect(after.flushLagMs).toBeGreaterThanOrEqual(delayMs);
    expect(after.replayLagMs).toBeGreaterThanOrEqual(delayMs);
  });

  it("when the replication link is partitioned, then the replica falls behind in WAL bytes and catches up once it heals", async () => {
    // Arrange
    const table = await freshTable(postgres.db, "lag");
    postgres.handle.link!.blackhole();

    // Act
    let behindDuring: number;
    let rowsOnReplicaDuring: number | null;
    try {
      for (let id = 1; id <= 50; id++)
        await postgres.db.write(`insert into ${table} (id) values ($1)`, [id]);
      behindDuring = (await replicationStatus(postgres.db.primary))!.bytesBehind;
      rowsOnReplicaDuring = (await postgres.db.read(`select * from ${table}`)).rowCount;
    } finally {
      postgres.handle.link!.restore();
    }
    await waitUntil(
      "the replica catching up",
      async () => (await replicationStatus(postgres.db.primary))?.bytesBehind === 0,
      { timeoutMs: 20_000 },
    );

    // Assert
    expect(behindDuring).toBeGreaterThan(0);
    expect(rowsOnReplicaDuring).toBe(0);
    expect((await postgres.db.read(`select * from ${table}`)).rowCount).toBe(50);
  });
});

describe("Redis replication lag", () => {
  let redis: RedisPair;

  beforeAll(async () => {
    redis = await startRedisPair();
  });

  afterAll(async () => {
    await redis?.[Symbol.asyncDispose]();
  });

  it("when writes run steadily on the Redis primary, then every acknowledged write becomes visible on the replica after a finite lag", async () => {
    // Arrange
    const key = uniqueName("seq");
    const probe = {
      write: async (seq: number) => void (await redis.primary.set(key, seq)),
      latest: async () => Number((await redis.replica.get(key)) ?? 0),
    };

    // Act
    const report = await measureLag(probe, { writes: WRITES, intervalMs: 5 });

    // Assert
    expect(report.samples).toHaveLength(WRITES);
    expect(report.samples.every(Number.isFinite)).toBe(true);
  });
});
