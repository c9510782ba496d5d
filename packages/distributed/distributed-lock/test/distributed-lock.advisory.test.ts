import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { type ServiceHandle, services } from "@playground/kit";
import pg from "pg";
import { AdvisoryLock, withXactLock } from "../src/advisory-lock.js";
import { uniqueName } from "../src/counter-race.js";
import { startWorker } from "../src/worker-process.js";

describe("PostgreSQL advisory locks", () => {
  let postgres: ServiceHandle;
  let url: string;
  let clients: pg.Client[];

  beforeEach(async () => {
    postgres = await services.postgres();
    url = postgres.url;
    clients = [];
  });

  afterEach(async () => {
    await Promise.all(clients.map((client) => client.end()));
    await postgres[Symbol.asyncDispose]();
  });

  const session = async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    clients.push(client);
    return client;
  };

  /** A worker process that takes the session-level lock `name` and keeps it. */
  async function holder(name: string) {
    const worker = startWorker("holder", {
      kind: "hold",
      lock: "advisory",
      postgres: url,
      schema: "unused",
      lockName: name,
    });
    await worker.next("locked");
    return worker;
  }

  it("when the process holding a session lock dies, then the lock is released with its session, with no TTL to wait for", async () => {
    // Arrange
    const name = uniqueName("advisory");
    await using worker = await holder(name);
    const waiter = new AdvisoryLock(await session(), name);
    const heldBefore = !(await waiter.tryAcquire());
    // The waiter queues in PostgreSQL; it gives up with an error after 30 s.
    await clients[0]!.query("SET lock_timeout = '30s'");
    const acquired = waiter.acquire();

    // Act
    await worker.kill();
    await acquired;

    // Assert
    expect(heldBefore).toBe(true);
    expect(await waiter.release()).toBe(true);
  });

  it("when the holder is paused, then nothing takes the lock from it and waiters time out", async () => {
    // Arrange
    const name = uniqueName("advisory");
    await using worker = await holder(name);
    const waiter = new AdvisoryLock(await session(), name);
    await clients[0]!.query("SET lock_timeout = '1s'");

    // Act
    worker.pause();
    const whilePaused = await waiter.acquire().then(
      () => "acquired",
      (error: { code?: string }) => error.code,
    );
    worker.resume();
    worker.write("release");
    await worker.next("released");

    // Assert: 55P03 is lock_not_available; once released, the lock is free.
    expect(whilePaused).toBe("55P03");
    expect(await waiter.tryAcquire()).toBe(true);
  });

  it("when a transaction holds pg_try_advisory_xact_lock, then other sessions are refused until it commits", async () => {
    // Arrange
    const name = uniqueName("xact");
    const [first, second] = [await session(), await session()];
    let refusedInside: boolean | undefined;

    // Act
    const result = await withXactLock(first, name, async () => {
      refusedInside = (await withXactLock(second, name, async () => "second")) === undefined;
      return "first";
    });
    const afterCommit = await withXactLock(second, name, async () => "second");

    // Assert
    expect(result).toBe("first");
    expect(refusedInside).toBe(true);
    expect(afterCommit).toBe("second");
  });
});
