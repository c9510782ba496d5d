import { describe, expect, it } from "@jest/globals";
import express from "express";
import createError from "http-errors";
import request from "supertest";
import { createApp, problemHandler } from "../src/express-errors.js";
import { NotFoundError } from "../src/problems.js";

describe("problem bodies", () => {
  it("when errors of the hierarchy are raised, then each maps to its own status and a problem+json body", async () => {
    // Arrange
    const app = createApp({ log: () => {} });

    // Act
    const notFound = await request(app).get("/orders/404");
    const invalid = await request(app).post("/orders").send({ quantity: -1 });
    const conflict = await request(app).post("/orders/1/cancel");

    // Assert
    for (const response of [notFound, invalid, conflict]) {
      expect(response.headers["content-type"]).toBe("application/problem+json; charset=utf-8");
    }
    expect(notFound.body).toEqual({
      type: "/problems/not-found",
      title: "Not Found",
      status: 404,
      detail: "order 404 does not exist",
      instance: "/orders/404",
    });
    expect(invalid.status).toBe(422);
    expect(invalid.body.errors).toEqual([
      { field: "item", message: "required" },
      { field: "quantity", message: "must be a positive integer" },
    ]);
    expect(conflict.status).toBe(409);
    expect(conflict.body.type).toBe("/problems/conflict");
  });

  it("when no route matches, then the app answers 404 with a problem body like every other error", async () => {
    // Arrange
    const app = createApp({ log: () => {} });

    // Act
    const response = await request(app).delete("/no/such/thing");

    // Assert
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({
      status: 404,
      detail: "no route for DELETE /no/such/thing",
    });
  });

  it("when no route matches and the app has no 404 handler, then Express's default handler answers 404 in HTML", async () => {
    // Arrange
    const app = express();
    app.get("/only", (_req, res) => {
      res.send("only");
    });

    // Act
    const response = await request(app).get("/elsewhere");

    // Assert
    expect(response.status).toBe(404);
    expect(response.headers["content-type"]).toMatch(/^text\/html/);
    expect(response.text).toContain("Cannot GET /elsewhere");
  });

  it("when the JSON body is malformed, then the parser's 400 becomes a problem body", async () => {
    // Arrange
    const app = createApp({ log: () => {} });

    // Act
    const response = await request(app)
      .post("/orders")
      .set("Content-Type", "application/json")
      .send('{"item": "tea",');

    // Assert
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ title: "Bad Request", status: 400 });
  });

  it("when one of our errors reaches Express's default handler, then its status property is still honoured", async () => {
    // Arrange
    const app = express();
    app.set("env", "test");
    app.get("/thing", () => {
      throw new NotFoundError("thing");
    });

    // Act
    const response = await request(app).get("/thing");

    // Assert
    expect(response.status).toBe(404);
  });

  it("when http-errors errors reach our handler, then they keep their status, and a 5xx hides its message and is logged", async () => {
    // Arrange: the error library Express itself uses, in place of our hierarchy.
    const log: unknown[] = [];
    const app = express();
    app.get("/widgets/:id", () => {
      throw createError(404, "no such widget");
    });
    app.get("/stock", () => {
      throw createError(503, "pool exhausted at 10.0.0.5");
    });
    app.use(problemHandler((error) => log.push(error)));

    // Act
    const missing = await request(app).get("/widgets/9");
    const unavailable = await request(app).get("/stock");

    // Assert
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ title: "Not Found", detail: "no such widget" });
    expect(unavailable.status).toBe(503);
    expect(unavailable.body).toEqual({
      type: "about:blank",
      title: "Service Unavailable",
      status: 503,
      instance: "/stock",
    });
    expect(log).toHaveLength(1);
  });
});
