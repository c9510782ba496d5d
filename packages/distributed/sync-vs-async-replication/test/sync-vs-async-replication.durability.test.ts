import { describe, expect, it } from "@jest/globals";
import { services, waitUntil } from "@playground/kit";
import { connect, promote, syncRepWaiters } from "../src/postgres.js";
import { partitionCrashFailover } from "../src/sync-vs-async-replication.js";
import { uniqueName } from "./fixtures.js";

// Each test crashes its primary, so each starts a pair of its own. The
// partition lasts until 200 writes sent during it were acknowledged, or
// until `partitionMs`: asynchronous commits reach 200 in a fraction of a
// second; synchronous ones reach none, so that test holds the partition 1.5 s.
const experiment = {
  writers: 4,
  healthyAcks: 200,
  partitionAcks: 200,
};

describe("durability after a partition, a crash and a failover", () => {
  it("when the asynchronous primary dies while its replica is partitioned, then every write it acknowledged during the partition is lost", async () => {
    // Arrange
    await using pair = await services.postgresReplicated({ sync: false });

    // Act
    const report = await partitionCrashFailover(pair, {
      ...experiment,
      partitionMs: 30_000,
      table: uniqueName("async"),
    });

    // Assert
    expect(report.duringPartition.acknowledged).toBeGreaterThanOrEqual(experiment.partitionAcks);
    expect(report.duringPartition.lost).toHaveLength(report.duringPartition.acknowledged);
    expect(report.verdict.lost.length).toBeGreaterThanOrEqual(report.duringPartition.acknowledged);
    expect(report.verdict.phantoms).toEqual([]);
  });

  it("when the synchronous primary dies while its standby is partitioned, then no acknowledged write is lost, because no write sent during the partition was acknowledged", async () => {
    // Arrange
    await using pair = await services.postgresReplicated({ sync: true });

    // Act
    const report = await partitionCrashFailover(pair, {
      ...experiment,
      partitionMs: 1_500,
      table: uniqueName("sync"),
    });

    // Assert
    expect(report.verdict.acknowledged).toBeGreaterThanOrEqual(experiment.healthyAcks);
    expect(report.verdict.lost).toEqual([]);
    expect(report.duringPartition.acknowledged).toBe(0);
    expect(report.waitingInSyncRep).toBe(experiment.writers);
    expect(report.verdict.unacknowledged).toBe(experiment.writers);
    expect(report.verdict.phantoms).toEqual([]);
  });

  it("when a commit waiting for the synchronous standby is cancelled and the primary then dies, then that acknowledged write is lost", async () => {
    // Arrange
    await using pair = await services.postgresReplicated({ sync: true });
    const table = uniqueName("cancelled");
    const [admin, writer, replica] = await Promise.all(
      [pair.primary.url, pair.primary.url, pair.replica.url].map(connect),
    );
    try {
      await admin.query(`create table ${table} (id int primary key)`);
      pair.link!.blackhole();
      const { rows } = await writer.query<{ pid: number }>("select pg_backend_pid() as pid");
      const insert = writer.query(`insert into ${table} (id) values (1)`);
      await waitUntil(
        "the INSERT waiting in SyncRep",
        async () => (await syncRepWaiters(admin)) === 1,
        {
          timeoutMs: 10_000,
          everyMs: 5,
        },
      );

      // Act
      await admin.query("select pg_cancel_backend($1)", [rows[0]!.pid]);
      const acknowledged = await insert;
      await pair.primary.kill();
      await promote(replica);
      const survivors = await replica.query(`select * from ${table}`);

      // Assert
      expect(acknowledged.rowCount).toBe(1);
      expect(survivors.rowCount).toBe(0);
    } finally {
      await Promise.all([admin.end(), writer.end(), replica.end()]);
    }
  });
});
