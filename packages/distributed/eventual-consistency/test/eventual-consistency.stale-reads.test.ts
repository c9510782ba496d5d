import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Cluster } from "../src/cluster.js";
import { isStale, read, untilConverged, write, writeAndWait } from "../src/eventual-consistency.js";

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

describe("stale reads and convergence on a real Redis replica", () => {
  let cluster: Cluster;

  beforeAll(async () => {
    cluster = await Cluster.start();
  });

  afterAll(async () => {
    await cluster?.close();
  });

  it("when the replication link lags, then a read from the replica right after an acknowledged write returns the old value", async () => {
    // Arrange
    const key = `stale:${crypto.randomUUID()}`;
    const replica = cluster.replicas[0]!;
    const before = await write(cluster.primary, key, "old");
    await untilConverged(replica.client, key, before);
    cluster.lag(100);

    // Act
    const version = await write(cluster.primary, key, "new");
    const seen = await read(replica.client, key);
    cluster.lag(0);

    // Assert
    expect(version).toBe(before + 1);
    expect(seen).toEqual({ version: before, value: "old" });
    expect((await read(cluster.primary, key)).value).toBe("new");
  });

  it("when writes stop, then the replica converges on the last write, later when the lag is longer", async () => {
    // Arrange
    const key = `converge:${crypto.randomUUID()}`;
    const replica = cluster.replicas[0]!;
    const converge = async (lagMs: number) => {
      cluster.lag(lagMs);
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const version = await write(cluster.primary, key, `value ${i}`);
        times.push((await untilConverged(replica.client, key, version)).ms);
      }
      cluster.lag(0);
      return median(times);
    };

    // Act
    const fast = await converge(0);
    const slow = await converge(200);

    // Assert
    expect(await isStale(replica.client, key, (await read(cluster.primary, key)).version)).toBe(
      false,
    );
    expect(slow).toBeGreaterThan(150);
    expect(slow).toBeGreaterThan(fast * 2);
  });

  it("when the writer waits for the replicas with WAIT, then a replica read right after the write sees it", async () => {
    // Arrange
    const key = `wait:${crypto.randomUUID()}`;
    cluster.lag(50);

    // Act
    const { version, acknowledgedBy } = await writeAndWait(cluster.primary, key, "new", 2, 5_000);
    const seen = await Promise.all(cluster.replicas.map((r) => read(r.client, key)));
    cluster.lag(0);

    // Assert
    expect(acknowledgedBy).toBe(2);
    expect(seen.map((s) => s.version)).toEqual([version, version]);
  });
});
