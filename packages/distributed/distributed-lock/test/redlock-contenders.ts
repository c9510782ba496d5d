import { once } from "node:events";
import type { ServiceHandle } from "@playground/kit";
import { Redis } from "ioredis";
import RedlockLibrary, { ExecutionError } from "redlock";
import { Redlock } from "../src/redlock.js";

// The Redlock claims are written once against this surface and run twice:
// against our Redlock and against the `redlock` package (5.0.0-beta.2).

export interface RedlockUnderTest {
  /** One attempt on every server: true if a majority granted `key` for `ttlMs`. */
  tryAcquire(key: string, ttlMs: number): Promise<boolean>;
}

export interface Contender {
  name: "ours" | "redlock";
  create(servers: Redis[]): RedlockUnderTest;
}

// A generous per-server limit: on a loaded machine a live server's answer
// can take a while to reach us, and these tests are about servers that are
// dead (which fail at once), not slow.
export const ours: Contender = {
  name: "ours",
  create(servers) {
    return {
      tryAcquire: async (key, ttlMs) =>
        (await new Redlock(servers, { ttlMs, serverTimeoutMs: 1_000 }).tryAcquire(key)) !==
        undefined,
    };
  },
};

export const library: Contender = {
  name: "redlock",
  create(servers) {
    const redlock = new RedlockLibrary(servers, { retryCount: 0 });
    return {
      tryAcquire: (key, ttlMs) =>
        redlock.acquire([key], ttlMs).then(
          () => true,
          (error: unknown) => {
            if (error instanceof ExecutionError) return false;
            throw error;
          },
        ),
    };
  },
};

export const contenders: Contender[] = [ours, library];

/**
 * A client for each server, as one process would hold them. A command to a
 * server that is down fails at once instead of waiting in ioredis's queue for
 * a reconnect, which is what a lock client wants.
 */
export async function connect(servers: ServiceHandle[]): Promise<Redis[]> {
  const clients = servers.map(
    (server) =>
      new Redis(server.url, {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        retryStrategy: () => 20,
      }),
  );
  for (const client of clients) client.on("error", () => {});
  await Promise.all(clients.map((client) => once(client, "ready")));
  return clients;
}

/** Kills a server and waits until our client has noticed, so no command is in flight to it. */
export async function crash(server: ServiceHandle, client: Redis): Promise<void> {
  const closed = client.status === "ready" ? once(client, "close") : Promise.resolve();
  await server.kill();
  await closed;
}
