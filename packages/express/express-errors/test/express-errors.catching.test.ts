import { describe, expect, it } from "@jest/globals";
import express, { type Request, type Response } from "express";
import express4, { type ErrorRequestHandler as ErrorRequestHandler4 } from "express4";
import request from "supertest";
import { runAsyncRoute } from "../src/async-route.js";
import { createApp } from "../src/express-errors.js";

describe("how errors reach the error middleware", () => {
  it("when a handler throws synchronously, then the error middleware answers with the error's status", async () => {
    // Arrange
    const app = createApp({ log: () => {} });

    // Act
    const response = await request(app).get("/orders/999");

    // Assert
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ status: 404, detail: "order 999 does not exist" });
  });

  it("when an async handler rejects, then Express 5 passes the rejection to the error middleware", async () => {
    // Arrange
    const app = createApp({ log: () => {} });

    // Act
    const response = await request(app).post("/orders").send({ item: "", quantity: 0 });

    // Assert
    expect(response.status).toBe(422);
    expect(response.body.type).toBe("/problems/validation");
  });

  it("when callback code calls next(err), then the error middleware answers with the error's status", async () => {
    // Arrange
    const app = createApp({ log: () => {} });

    // Act
    const response = await request(app).post("/orders/1/cancel");

    // Assert
    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({ status: 409, detail: "order 1 has shipped" });
  });

  it("when an async route rejects, then Express 5 answers through the error handler while Express 4 never answers and the rejection goes unhandled", async () => {
    // Arrange: the same app and route, each version in a process of its own.
    // Express 5 gets a generous client timeout; Express 4's bounds the hang we watch.
    const generousMs = 10_000;
    const hangMs = 500;

    // Act
    const [five, four] = await Promise.all([
      runAsyncRoute("express", generousMs),
      runAsyncRoute("express4", hangMs),
    ]);

    // Assert
    expect(five).toMatchObject({
      answered: true,
      status: 500,
      errorHandlerCalls: 1,
      unhandled: [],
    });
    expect(five.version).toMatch(/^5\./);
    expect(four).toMatchObject({
      answered: false,
      errorHandlerCalls: 0,
      unhandled: ["async handler rejected"],
    });
    expect(four.version).toMatch(/^4\./);
  });

  it("when a route throws synchronously, then Express 4 caught it too: only promises slipped past", async () => {
    // Arrange
    const app = express4();
    app.get("/sync", () => {
      throw new Error("sync failure");
    });
    const handler: ErrorRequestHandler4 = (err: Error, _req, res, _next) => {
      res.status(500).json({ caught: err.message });
    };
    app.use(handler);

    // Act
    const response = await request(app).get("/sync");

    // Assert
    expect(response.status).toBe(500);
    expect(response.body).toEqual({ caught: "sync failure" });
  });

  it("when an error handler declares only three arguments, then Express treats it as ordinary middleware and skips it for errors", async () => {
    // Arrange: Express tells the chains apart by `fn.length` alone.
    const calls: string[] = [];
    const app = express();
    app.set("env", "test");
    app.get("/fail", () => {
      throw new Error("lost");
    });
    app.use((_err: unknown, _req: Request, res: Response) => {
      calls.push("three-argument handler");
      res.status(500).send("handled");
    });

    // Act
    const response = await request(app).get("/fail");

    // Assert: Express's default handler answered, ours never ran.
    expect(calls).toEqual([]);
    expect(response.status).toBe(500);
    expect(response.text).not.toBe("handled");
  });
});
