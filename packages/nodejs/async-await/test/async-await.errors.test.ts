import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import {
  allAtOnce,
  everyOutcome,
  firstSuccess,
  HttpError,
  textOr,
  textOrBroken,
} from "../src/async-await.js";
import { type SlowServer, startSlowServer } from "../src/slow-server.js";
import { runUnhandledRejection } from "../src/unhandled.js";

describe("rejections", () => {
  let server: SlowServer;

  beforeAll(async () => {
    server = await startSlowServer();
  });

  afterAll(() => server.close());

  it("when an awaited promise rejects inside try, then catch handles it", async () => {
    // Arrange
    const failing = `${server.origin}/fail`;

    // Act
    const text = await textOr(failing, "fallback");

    // Assert
    expect(text).toBe("fallback");
  });

  it("when a rejecting promise is returned from try without await, then catch never sees it", async () => {
    // Arrange
    const failing = `${server.origin}/fail`;

    // Act
    const outcome = textOrBroken(failing, "fallback");

    // Assert
    await expect(outcome).rejects.toBeInstanceOf(HttpError);
  });

  it("when a rejection has no handler, then Node.js exits with code 1 and prints the error on stderr", async () => {
    // Arrange: the child process's default is --unhandled-rejections=throw.
    // Act
    const end = await runUnhandledRejection();

    // Assert
    expect(end.code).toBe(1);
    expect(end.stderr).toContain("Error: the database said no");
    expect(end.stdout).not.toContain("still running");
  });

  it("when the same rejection runs under --unhandled-rejections=warn, then the process only warns and carries on", async () => {
    // Arrange: warn is how Node.js before 15 behaved.
    // Act
    const end = await runUnhandledRejection(["--unhandled-rejections=warn"]);

    // Assert
    expect(end.code).toBe(0);
    expect(end.stderr).toContain("the database said no");
    expect(end.stdout).toContain("still running");
  });

  it("when one request in Promise.all fails, then it rejects at once and the other requests still run to the end", async () => {
    // Arrange
    const servedBefore = server.served;
    const urls = [
      `${server.origin}/slow?ms=1000`,
      `${server.origin}/fail`,
      `${server.origin}/slow?ms=1000`,
    ];

    // Act
    const outcome = allAtOnce(urls);
    await expect(outcome).rejects.toBeInstanceOf(HttpError);
    const servedAtRejection = server.served - servedBefore;
    await server.servedAtLeast(servedBefore + 3);

    // Assert: only the failure had been answered; nothing was cancelled.
    expect(servedAtRejection).toBe(1);
    expect(server.abandoned).toBe(0);
  });

  it("when some requests fail, then Promise.allSettled resolves with every outcome in order", async () => {
    // Arrange
    const urls = [`${server.origin}/slow?ms=10`, `${server.origin}/fail`];

    // Act
    const outcomes = await everyOutcome(urls);

    // Assert
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected"]);
  });

  it("when one request succeeds and others fail, then Promise.any resolves with the success", async () => {
    // Arrange
    const urls = [`${server.origin}/fail`, `${server.origin}/slow?ms=10`, `${server.origin}/fail`];

    // Act
    const text = await firstSuccess(urls);

    // Assert
    expect(text).toBe("slept 10 ms");
  });

  it("when every request fails, then Promise.any rejects with an AggregateError holding each reason", async () => {
    // Arrange
    const urls = [`${server.origin}/fail`, `${server.origin}/fail`];

    // Act
    const error = await firstSuccess(urls).catch((e: unknown) => e);

    // Assert
    expect(error).toBeInstanceOf(AggregateError);
    expect((error as AggregateError).errors).toHaveLength(2);
    expect((error as AggregateError).errors[0]).toBeInstanceOf(HttpError);
  });
});
