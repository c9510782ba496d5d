import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { Cluster } from "../src/cluster.js";
import { untilConverged, write } from "../src/eventual-consistency.js";
import { check, History } from "../src/history.js";
import { Session, type SessionOptions } from "../src/session.js";

const plain: SessionOptions = { replicas: "any", token: false, primaryAfterWriteMs: 0 };

describe("session guarantees as client-side fixes", () => {
  let cluster: Cluster;

  beforeAll(async () => {
    cluster = await Cluster.start();
  });

  afterEach(() => cluster.lag(0));

  afterAll(async () => {
    await cluster?.close();
  });

  const session = (options: SessionOptions, name = `session-${crypto.randomUUID()}`) => {
    const history = new History();
    const nodes = cluster.replicas.map(({ name, client }) => ({ name, client }));
    return { history, session: new Session(name, cluster.primary, nodes, options, history) };
  };

  // Each round: write, then read back at once. The replicas lag by `lagMs`.
  const writeThenRead = async (options: SessionOptions, lagMs: number) => {
    cluster.lag(lagMs);
    const key = `ryw:${crypto.randomUUID()}`;
    const { history, session: s } = session(options);
    for (let i = 0; i < 10; i++) {
      await s.write(key, `comment ${i}`);
      await s.read(key);
    }
    return { verdict: check(history.ops), session: s };
  };

  // A background writer bumps the key every few ms while the session reads it
  // thirty times, 10 ms apart; replica-1 is up to date and replica-2 lags by
  // 150 ms. On a busy machine even replica-1 falls behind by tens of ms, so
  // we start reading once it has shown the first write.
  const readWhileWritten = async (options: SessionOptions, name?: string) => {
    const key = `mr:${crypto.randomUUID()}`;
    cluster.replicas[1]!.link.latency(150);
    let writing = true;
    const first = await write(cluster.primary, key, "reply 0");
    const writer = (async () => {
      for (let i = 1; writing; i++) {
        await write(cluster.primary, key, `reply ${i}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    await untilConverged(cluster.replicas[0]!.client, key, first);
    const { history, session: s } = session(options, name);
    for (let i = 0; i < 30; i++) {
      await s.read(key);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    writing = false;
    await writer;
    return { verdict: check(history.ops), nodes: new Set(history.ops.map((op) => op.node)) };
  };

  it("when a session reads a lagging replica right after writing, then it misses its own write", async () => {
    // Act
    const { verdict } = await writeThenRead(plain, 50);

    // Assert
    expect(verdict.readYourWritesViolations).toBe(10);
  });

  it("when a session reads from the primary for a while after writing, then it reads its own writes", async () => {
    // Act
    const { verdict } = await writeThenRead({ ...plain, primaryAfterWriteMs: 1_000 }, 50);

    // Assert
    expect(verdict.reads).toBe(10);
    expect(verdict.readYourWritesViolations).toBe(0);
  });

  it("when the lag outlasts the read-from-primary window, then the session misses its own writes again", async () => {
    // Arrange
    cluster.lag(300);
    const key = `ryw-window:${crypto.randomUUID()}`;
    const { history, session: s } = session({ ...plain, primaryAfterWriteMs: 50 });

    // Act
    const version = await s.write(key, "comment");
    // The window is a span of time, so the only way past it is to let it pass.
    await new Promise((resolve) => setTimeout(resolve, 60));
    await s.read(key);

    // Assert
    expect(version).toBe(1);
    expect(check(history.ops).readYourWritesViolations).toBe(1);
  });

  it("when a session carries a version token, then it reads its own writes through lagging replicas", async () => {
    // Act
    const { verdict, session: s } = await writeThenRead({ ...plain, token: true }, 50);

    // Assert
    expect(verdict.reads).toBe(10);
    expect(verdict.readYourWritesViolations).toBe(0);
    expect(s.fallbacks).toBe(10);
  });

  it("when a session alternates between replicas that lag differently, then its reads go back in time", async () => {
    // Act
    const { verdict, nodes } = await readWhileWritten(plain);

    // Assert
    expect(nodes).toEqual(new Set(["replica-1", "replica-2"]));
    expect(verdict.monotonicViolations).toBeGreaterThanOrEqual(3);
  });

  it("when a session sticks to one replica, then its reads never go back in time", async () => {
    // Arrange: two names the hash pins to different replicas.
    const results = [];

    // Act
    for (const name of ["alice", "bob"]) {
      results.push(await readWhileWritten({ ...plain, replicas: "sticky" }, name));
    }

    // Assert
    expect(results.map((r) => [...r.nodes])).toEqual([["replica-1"], ["replica-2"]]);
    expect(results.map((r) => r.verdict.monotonicViolations)).toEqual([0, 0]);
  });

  it("when a session carries a version token, then its reads never go back in time, whichever replica answers", async () => {
    // Act
    const { verdict, nodes } = await readWhileWritten({ ...plain, token: true });

    // Assert
    expect([...nodes].some((node) => node.startsWith("replica"))).toBe(true);
    expect(verdict.reads).toBe(30);
    expect(verdict.monotonicViolations).toBe(0);
  });
});
