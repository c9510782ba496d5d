import { afterEach, describe, expect, it } from "@jest/globals";
import { type ExperimentOptions, runPartitionExperiment } from "../src/cap-theorem.js";
import { SyncPostgres } from "../src/cp-postgres.js";

const options: ExperimentOptions = {
  healthyMs: 300,
  partitionMs: 1_000,
  boundMs: 200,
  everyMs: 20,
};

describe("CP: PostgreSQL with a synchronous standby, partitioned", () => {
  let system: SyncPostgres | undefined;

  afterEach(async () => {
    await system?.close();
    system = undefined;
  });

  it("when the standby is partitioned away, then no write is acknowledged within the bound, and no acknowledged write is stale or lost", async () => {
    // Arrange
    system = await SyncPostgres.start();

    // Act
    const report = await runPartitionExperiment(system, options);

    // Assert
    const partitioned = report.ops.filter((op) => op.f === "write" && op.phase === "partitioned");
    expect(partitioned.length).toBeGreaterThanOrEqual(4);
    expect(report.availability).toBe(0);
    expect(report.writes.ok).toBeGreaterThan(0);
    expect(report.staleReads).toBe(0);
    expect(report.lostWrites).toEqual([]);
  });

  it("when a write times out during the partition, then it still commits once the partition heals: a timeout is not a no", async () => {
    // Arrange
    system = await SyncPostgres.start();

    // Act
    const report = await runPartitionExperiment(system, options);

    // Assert
    expect(report.writes.timeout).toBeGreaterThanOrEqual(4);
    expect(report.timedOutButApplied).toBe(report.writes.timeout);
  });
});
