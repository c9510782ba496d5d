import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { type ServiceHandle, services } from "@playground/kit";
import { uniqueName } from "../src/counter-race.js";
import { follow, pausedHolderWritesLate, wakeUpsPerRelease } from "../src/scenarios.js";
import { startWorker } from "../src/worker-process.js";
import { ZooKeeper } from "../src/zookeeper-client.js";
import { type WatchStrategy, ZooKeeperLock } from "../src/zookeeper-lock.js";

// Worker processes start slowly on a loaded 2-core machine.
const SLOW = 300_000;

describe("the ZooKeeper lock", () => {
  let zookeeper: ServiceHandle;
  let postgres: ServiceHandle;
  let connection: string;
  let sessions: ZooKeeper[];

  beforeEach(async () => {
    [zookeeper, postgres] = await Promise.all([services.zookeeper(), services.postgres()]);
    connection = `${zookeeper.host}:${zookeeper.port}`;
    sessions = [];
  });

  afterEach(async () => {
    for (const session of sessions) session.close();
    await Promise.all([zookeeper[Symbol.asyncDispose](), postgres[Symbol.asyncDispose]()]);
  });

  /** `n` contenders for the lock at `root`, each on a session of its own. */
  async function contenders(n: number, root: string, strategy: WatchStrategy) {
    const made = await Promise.all(Array.from({ length: n }, () => ZooKeeper.connect(connection)));
    sessions.push(...made);
    return made.map((zk) => new ZooKeeperLock(zk, root, strategy));
  }

  it("when each waiter watches only its predecessor, then every release wakes exactly one waiter", async () => {
    // Act
    const wakeUps = await wakeUpsPerRelease(connection, "predecessor");

    // Assert
    expect(wakeUps).toEqual([1, 1, 1, 1]);
  });

  it("when every waiter watches the lock's children, then every release wakes all the remaining waiters (the herd effect)", async () => {
    // Act
    const wakeUps = await wakeUpsPerRelease(connection, "children");

    // Assert
    expect(wakeUps).toEqual([4, 3, 2, 1]);
  });

  it("when successive holders take the lock, then each one's czxid fencing token is larger than the last", async () => {
    // Arrange
    const [a, b] = await contenders(2, `/${uniqueName("fence")}`, "predecessor");
    const fences: number[] = [];

    // Act
    for (const lock of [a!, b!, a!, b!]) {
      const lease = await lock.acquire();
      fences.push(lease.fence);
      await lock.release(lease);
    }

    // Assert
    expect(fences).toEqual([...fences].sort((x, y) => x - y));
    expect(new Set(fences).size).toBe(4);
  });

  it(
    "when the holder's process is killed, then its session expires and the waiter gets the lock after about the session timeout",
    async () => {
      // Arrange
      const root = `/${uniqueName("expiry")}`;
      await using holder = startWorker("holder", {
        kind: "hold",
        lock: "zookeeper",
        postgres: postgres.url,
        schema: "unused",
        zookeeper: connection,
        lockName: root,
      });
      const locked = await holder.next("locked");
      const sessionTimeoutMs = Number(locked.sessionTimeoutMs);
      const [waiter] = await contenders(1, root, "predecessor");
      const { count, until } = follow([waiter!]);
      const acquired = waiter!.acquire();
      await until(() => count("waiting") === 1);

      // Act
      const killedAt = performance.now();
      await holder.kill();
      await acquired;
      const waitedMs = performance.now() - killedAt;

      // Assert: not at once (the server cannot tell a crash from a slow
      // network), and not for ever: ZooKeeper expires sessions in ticks.
      expect(waitedMs / sessionTimeoutMs).toBeGreaterThan(0.75);
      expect(waitedMs / sessionTimeoutMs).toBeLessThan(4);
    },
    SLOW,
  );

  it("when the holder closes its session, then the waiter gets the lock at once, well within the session timeout", async () => {
    // Arrange
    const root = `/${uniqueName("close")}`;
    const [holder, waiter] = await contenders(2, root, "predecessor");
    await holder!.acquire();
    const { count, until } = follow([waiter!]);
    const acquired = waiter!.acquire();
    await until(() => count("waiting") === 1);
    const sessionTimeoutMs = sessions[0]!.sessionTimeoutMs;

    // Act
    const closedAt = performance.now();
    sessions[0]!.close();
    await acquired;
    const waitedMs = performance.now() - closedAt;

    // Assert
    expect(waitedMs / sessionTimeoutMs).toBeLessThan(0.5);
  });

  it(
    "when a holder is paused past its session timeout, then the next holder's larger czxid makes the storage reject the paused one's write",
    async () => {
      // Act: B gets the lock only once A's session has expired.
      const run = await pausedHolderWritesLate({
        lock: "zookeeper",
        fenced: true,
        postgres: postgres.url,
        zookeeper: connection,
      });

      // Assert
      expect(run.aWroteWhilePaused).toBe(false);
      expect(Number(run.lockedB.fence)).toBeGreaterThan(Number(run.lockedA.fence));
      expect(run.wroteA.accepted).toBe(false);
      expect(run.after).toEqual({ body: "B", fence: run.lockedB.fence });
    },
    SLOW,
  );
});
