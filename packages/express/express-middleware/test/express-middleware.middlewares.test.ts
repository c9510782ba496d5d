import { describe, expect, it } from "@jest/globals";
import express from "express";
import request from "supertest";
import { createApp } from "../src/express-middleware.js";
import { type AccessLogEntry, accessLog, requestId, type Step } from "../src/middlewares.js";

const TOKEN = "middleware-test-token";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function loggedApp() {
  const log: AccessLogEntry[] = [];
  const steps: Step[] = [];
  const built = createApp({
    token: TOKEN,
    bodyLimit: "1kb",
    log: (e) => log.push(e),
    trace: (s) => steps.push(s),
  });
  return { ...built, log, steps };
}

describe("request IDs", () => {
  it("when a request carries a sane X-Request-Id, then the response echoes it and the log line carries it", async () => {
    // Arrange
    const { app, log } = loggedApp();

    // Act
    const response = await request(app).get("/health").set("X-Request-Id", "checkout-7f3a");

    // Assert
    expect(response.headers["x-request-id"]).toBe("checkout-7f3a");
    expect(log.map((e) => e.requestId)).toEqual(["checkout-7f3a"]);
  });

  it("when a request has no X-Request-Id, then a UUID is generated, a different one per request", async () => {
    // Arrange
    const { app } = loggedApp();

    // Act
    const first = await request(app).get("/health");
    const second = await request(app).get("/health");

    // Assert
    expect(first.headers["x-request-id"]).toMatch(UUID);
    expect(second.headers["x-request-id"]).toMatch(UUID);
    expect(first.headers["x-request-id"]).not.toBe(second.headers["x-request-id"]);
  });

  it("when a request carries an oversized or odd X-Request-Id, then it is replaced by a generated one", async () => {
    // Arrange
    const { app } = loggedApp();

    // Act
    const tooLong = await request(app).get("/health").set("X-Request-Id", "a".repeat(200));
    const odd = await request(app).get("/health").set("X-Request-Id", "<script>alert(1)</script>");

    // Assert
    expect(tooLong.headers["x-request-id"]).toMatch(UUID);
    expect(odd.headers["x-request-id"]).toMatch(UUID);
  });
});

describe("the access log", () => {
  it("when the handler is still working, then nothing is logged until the response finishes, and the logged duration covers the wait", async () => {
    // Arrange: a handler that holds the request until we release it.
    const log: AccessLogEntry[] = [];
    let entered!: () => void;
    const handlerEntered = new Promise<void>((resolve) => {
      entered = resolve;
    });
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const app = express();
    app.use(requestId());
    app.use(accessLog((e) => log.push(e)));
    app.get("/held", async (_req, res) => {
      entered();
      await released;
      res.status(202).send("done");
    });

    // Act
    const response = request(app)
      .get("/held")
      .then((r) => r);
    await handlerEntered;
    const heldFrom = performance.now();
    const loggedWhileHeld = log.length;
    await new Promise((resolve) => setTimeout(resolve, 40)); // the time we want to see logged
    const heldMs = performance.now() - heldFrom;
    release();
    await response;

    // Assert
    expect(loggedWhileHeld).toBe(0);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ method: "GET", path: "/held", status: 202 });
    expect(log[0]!.durationMs).toBeGreaterThanOrEqual(heldMs);
  });

  it("when a request is refused, then the log line records the refusal's status", async () => {
    // Arrange
    const { app, log } = loggedApp();

    // Act
    await request(app).get("/api/orders").expect(401);

    // Assert
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ method: "GET", path: "/api/orders", status: 401 });
  });
});

describe("JSON bodies", () => {
  it("when a JSON body fits the limit, then the handler receives it parsed", async () => {
    // Arrange
    const { app, orders } = loggedApp();

    // Act
    const response = await request(app)
      .post("/api/orders")
      .set("Authorization", `Bearer ${TOKEN}`)
      .send({ item: "coffee", quantity: 3 });

    // Assert
    expect(response.status).toBe(201);
    expect(orders).toEqual([{ id: 1, item: "coffee", quantity: 3 }]);
  });

  it("when a JSON body exceeds the limit, then the parser answers 413 and the handler never runs", async () => {
    // Arrange
    const { app, orders, steps } = loggedApp();
    const oversized = { item: "x".repeat(2048), quantity: 1 };

    // Act
    const response = await request(app)
      .post("/api/orders")
      .set("Authorization", `Bearer ${TOKEN}`)
      .send(oversized);

    // Assert
    expect(response.status).toBe(413);
    expect(orders).toEqual([]);
    expect(steps.map((s) => s.name)).not.toContain("createOrder");
    expect(steps.find((s) => s.name === "json")?.outcome).toBe("error");
  });
});

describe("authentication", () => {
  it("when a request has no bearer token, then auth answers 401 and no later middleware or handler runs", async () => {
    // Arrange
    const { app, orders, steps } = loggedApp();

    // Act
    const response = await request(app).post("/api/orders").send({ item: "tea", quantity: 1 });

    // Assert
    expect(response.status).toBe(401);
    expect(response.headers["www-authenticate"]).toMatch(/^Bearer/);
    expect(orders).toHaveLength(0);
    expect(steps.map((s) => s.name)).toEqual(["requestId", "accessLog", "requireBearer"]);
    expect(steps.at(-1)?.outcome).toBe("responded");
  });

  it("when an unauthenticated request carries an oversized body, then it gets 401, not 413, because auth runs before the parser", async () => {
    // Arrange
    const { app, steps } = loggedApp();

    // Act
    const response = await request(app)
      .post("/api/orders")
      .send({ item: "x".repeat(2048), quantity: 1 });

    // Assert
    expect(response.status).toBe(401);
    expect(steps.map((s) => s.name)).not.toContain("json");
  });

  it("when the bearer token is right, then the request reaches the handler", async () => {
    // Arrange
    const { app } = loggedApp();

    // Act
    const response = await request(app).get("/api/orders").set("Authorization", `Bearer ${TOKEN}`);

    // Assert
    expect(response.status).toBe(200);
    expect(response.body).toEqual([]);
  });
});
