import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { type ServiceHandle, services } from "@playground/kit";
import type { Redis } from "ioredis";
import { uniqueName } from "../src/counter-race.js";
import { connect, contenders, crash } from "./redlock-contenders.js";

// Three independent Redis servers of our own: these tests kill them.
describe.each(contenders)("$name over 3 independent Redis servers", (contender) => {
  let servers: ServiceHandle[];
  let clients: Redis[][];

  beforeEach(async () => {
    servers = await Promise.all([0, 1, 2].map(() => services.redis({ dedicated: true })));
    clients = [];
  });

  afterEach(async () => {
    for (const client of clients.flat()) client.disconnect();
    await Promise.all(servers.map((server) => server[Symbol.asyncDispose]()));
  });

  const client = async () => {
    const connected = await connect(servers);
    clients.push(connected);
    return connected;
  };

  it("when all 3 servers are up and the lock is held, then a second client is refused", async () => {
    // Arrange
    const key = uniqueName("redlock");
    const first = contender.create(await client());
    const second = contender.create(await client());
    expect(await first.tryAcquire(key, 30_000)).toBe(true);

    // Act
    const granted = await second.tryAcquire(key, 30_000);

    // Assert
    expect(granted).toBe(false);
  });

  it("when 1 of the 3 servers is killed, then the lock is still granted by the other 2", async () => {
    // Arrange
    const key = uniqueName("redlock");
    const redis = await client();
    await crash(servers[2]!, redis[2]!);

    // Act
    const granted = await contender.create(redis).tryAcquire(key, 30_000);

    // Assert
    expect(granted).toBe(true);
    expect(await redis[0]!.exists(key)).toBe(1);
    expect(await redis[1]!.exists(key)).toBe(1);
  });

  it("when 2 of the 3 servers are killed, then the lock is refused and the one vote it won is undone", async () => {
    // Arrange
    const key = uniqueName("redlock");
    const redis = await client();
    await crash(servers[1]!, redis[1]!);
    await crash(servers[2]!, redis[2]!);

    // Act
    const granted = await contender.create(redis).tryAcquire(key, 30_000);

    // Assert
    expect(granted).toBe(false);
    expect(await redis[0]!.exists(key)).toBe(0);
  });

  it("when a server restarts without the lock it had granted, then a second client is granted the same lock", async () => {
    // Arrange: A wins on servers 0 and 1 while 2 is down; 2 comes back empty.
    const key = uniqueName("redlock");
    const clientA = contender.create(await client());
    await crash(servers[2]!, clients[0]![2]!);
    expect(await clientA.tryAcquire(key, 30_000)).toBe(true);
    await servers[2]!.start();

    // Act: server 1 crashes and restarts with no persistence, forgetting A's key.
    await crash(servers[1]!, clients[0]![1]!);
    await servers[1]!.start();
    const clientB = contender.create(await client());
    const grantedToB = await clientB.tryAcquire(key, 30_000);

    // Assert: A's lease (30 s) has not run out, and B holds the lock too.
    expect(grantedToB).toBe(true);
    expect(await clients[1]![0]!.exists(key)).toBe(1);
  });
});
