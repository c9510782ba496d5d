import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { cancelFetch, getTextWithin, wait } from "../src/cancel.js";
import { type SlowServer, startSlowServer } from "../src/slow-server.js";

describe("cancelling with AbortController", () => {
  let server: SlowServer;

  beforeAll(async () => {
    server = await startSlowServer();
  });

  afterAll(() => server.close());

  it("when the controller aborts a fetch to a slow server, then fetch rejects with AbortError and the server sees its client leave", async () => {
    // Arrange
    const url = `${server.origin}/slow?ms=60000`;
    const arrived = server.nextRequest();
    const abandoned = server.nextAbandoned();

    // Act: we cancel as soon as the server has started on the request.
    const cancelled = await cancelFetch(url, arrived);
    await abandoned;

    // Assert: the promise ended, and so did the work behind it.
    expect(cancelled.name).toBe("AbortError");
  });

  it("when AbortSignal.timeout passes during a fetch, then fetch rejects with TimeoutError", async () => {
    // Arrange
    const url = `${server.origin}/slow?ms=60000`;

    // Act
    const error = await getTextWithin(url, 50).catch((e: unknown) => e);

    // Assert
    expect((error as Error).name).toBe("TimeoutError");
  });

  it("when the signal fires during a timers/promises wait, then the wait rejects with AbortError", async () => {
    // Arrange
    const controller = new AbortController();
    const waiting = wait(60_000, controller.signal);

    // Act
    controller.abort();

    // Assert
    await expect(waiting).rejects.toMatchObject({ name: "AbortError" });
  });
});
