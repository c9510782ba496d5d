import { afterEach, describe, expect, it } from "@jest/globals";
import { AsyncRedis } from "../src/ap-redis.js";
import { type ExperimentOptions, runPartitionExperiment } from "../src/cap-theorem.js";
import type { WriteOp } from "../src/history.js";

const options: ExperimentOptions = {
  healthyMs: 300,
  partitionMs: 1_000,
  boundMs: 200,
  everyMs: 20,
};

describe("AP: Redis with async replication and failover, partitioned", () => {
  let system: AsyncRedis | undefined;

  afterEach(async () => {
    await system?.close();
    system = undefined;
  });

  it("when the replica is partitioned away, then both sides keep acknowledging writes, and reads miss writes acknowledged on the other side", async () => {
    // Arrange
    system = await AsyncRedis.start({ detectAfterMs: 100 });

    // Act
    const report = await runPartitionExperiment(system, options);

    // Assert
    expect(system.promoted).toBe(true);
    expect(report.availability).toBeGreaterThanOrEqual(0.9);
    expect(report.staleReadsPartitioned).toBeGreaterThanOrEqual(10);
  });

  it("when the old primary rejoins as a replica after the failover, then the writes it acknowledged during the partition are lost", async () => {
    // Arrange
    system = await AsyncRedis.start({ detectAfterMs: 100 });

    // Act
    const report = await runPartitionExperiment(system, options);

    // Assert
    const writes = report.ops.filter(
      (op): op is WriteOp => op.f === "write" && op.outcome === "ok",
    );
    const aDuringPartition = writes.filter(
      (op) => op.process === "a" && op.phase === "partitioned",
    );
    const bAfterFailover = writes.filter((op) => op.process === "b" && op.phase === "partitioned");
    expect(aDuringPartition.length).toBeGreaterThanOrEqual(10);
    expect(report.lostWrites).toEqual(
      expect.arrayContaining(aDuringPartition.map((op) => op.value)),
    );
    expect(bAfterFailover.length).toBeGreaterThanOrEqual(10);
    expect(bAfterFailover.filter((op) => report.lostWrites.includes(op.value))).toEqual([]);
  });
});
