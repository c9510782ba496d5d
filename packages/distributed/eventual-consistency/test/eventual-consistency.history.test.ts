import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Cluster } from "../src/cluster.js";
import { check, type Op } from "../src/history.js";
import { runWorkload } from "../src/workload.js";

const op = (o: Partial<Op> & Pick<Op, "f" | "version" | "start" | "end">): Op => ({
  process: "p",
  node: "replica-1",
  ...o,
});

describe("the history checker", () => {
  it("when a read starts after a write was acknowledged and returns an older version, then the checker counts it stale", () => {
    // Arrange
    const ops = [
      op({ process: "writer", f: "write", version: 1, start: 0, end: 1 }),
      op({ process: "writer", f: "write", version: 2, start: 2, end: 3 }),
      op({ process: "reader", f: "read", version: 1, start: 4, end: 5 }),
      op({ process: "reader", f: "read", version: 2, start: 6, end: 7 }),
    ];

    // Act
    const verdict = check(ops);

    // Assert
    expect(verdict).toMatchObject({ reads: 2, writes: 2, staleReads: 1 });
  });

  it("when a read overlaps the write it misses, then the checker does not count it stale", () => {
    // Arrange
    const ops = [
      op({ process: "writer", f: "write", version: 1, start: 0, end: 10 }),
      op({ process: "reader", f: "read", version: 0, start: 5, end: 6 }),
    ];

    // Act
    const verdict = check(ops);

    // Assert
    expect(verdict.staleReads).toBe(0);
  });

  it("when one process reads an older version than it read or wrote before, then the checker counts a session violation", () => {
    // Arrange
    const ops = [
      op({ process: "s", f: "write", version: 3, start: 0, end: 1 }),
      op({ process: "s", f: "read", version: 2, start: 2, end: 3 }),
      op({ process: "t", f: "read", version: 3, start: 4, end: 5 }),
      op({ process: "t", f: "read", version: 2, start: 6, end: 7 }),
    ];

    // Act
    const verdict = check(ops);

    // Assert
    expect(verdict.readYourWritesViolations).toBe(1);
    expect(verdict.monotonicViolations).toBe(1);
  });
});

describe("the history checker against a real lagging replica", () => {
  let cluster: Cluster;

  beforeAll(async () => {
    cluster = await Cluster.start();
  });

  afterAll(async () => {
    await cluster?.close();
  });

  it("when the replica lags behind a steady writer, then the checker finds far more stale reads than with no lag", async () => {
    // Arrange
    const nodes = cluster.replicas.map(({ name, client }) => ({ name, client }));
    const run = async (lagMs: number) => {
      cluster.lag(lagMs);
      const ops = await runWorkload(cluster.primary, nodes, {
        key: `history:${crypto.randomUUID()}`,
        durationMs: 800,
        writeEveryMs: 10,
        readers: 2,
      });
      cluster.lag(0);
      const verdict = check(ops);
      return verdict.staleReads / verdict.reads;
    };

    // Act
    const unlagged = await run(0);
    const lagged = await run(60);

    // Assert
    expect(lagged).toBeGreaterThan(0.5);
    expect(lagged).toBeGreaterThan(unlagged * 2);
  });
});
