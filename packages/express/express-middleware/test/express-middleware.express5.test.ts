import { describe, expect, it } from "@jest/globals";
import express from "express";
import express4 from "express4";
import request from "supertest";

describe("what Express 5 is, and is not", () => {
  it("when a route uses a bare '*' wildcard, then Express 5 refuses it at registration while Express 4 accepted it", () => {
    // Arrange
    const five = express();
    const four = express4();
    const handler = () => {};

    // Act
    const registerOnFive = () => five.get("*", handler);
    const registerOnFour = () => four.get("*", handler);

    // Assert
    expect(registerOnFive).toThrow(/Missing parameter name/);
    expect(registerOnFour).not.toThrow();
  });

  it("when a wildcard is named, then Express 5 hands its segments to the handler as an array", async () => {
    // Arrange
    const app = express();
    app.get("/files/*path", (req, res) => {
      res.json(req.params);
    });

    // Act
    const response = await request(app).get("/files/reports/2024/q3.pdf");

    // Assert
    expect(response.body).toEqual({ path: ["reports", "2024", "q3.pdf"] });
  });

  it("when no body parser matches the content type, then Express 5 leaves req.body undefined while Express 4 set it to {}", async () => {
    // Arrange
    const describeBody = (body: unknown) =>
      body === undefined ? "undefined" : JSON.stringify(body);
    const five = express();
    five.use(express.json());
    five.post("/", (req, res) => {
      res.send(describeBody(req.body));
    });
    const four = express4();
    four.use(express4.json());
    four.post("/", (req, res) => {
      res.send(describeBody(req.body));
    });

    // Act
    const onFive = await request(five).post("/").set("Content-Type", "text/plain").send("hi");
    const onFour = await request(four).post("/").set("Content-Type", "text/plain").send("hi");

    // Assert
    expect(onFive.text).toBe("undefined");
    expect(onFour.text).toBe("{}");
  });

  it("when a client sends any JSON shape, then express.json() hands it over unchecked: validation is ours to write", async () => {
    // Arrange
    const app = express();
    app.use(express.json());
    app.post("/orders", (req, res) => {
      res.json(req.body);
    });
    const nonsense = { quantity: "-5 bananas", owner: { $gt: "" }, isAdmin: true };

    // Act
    const response = await request(app).post("/orders").send(nonsense);

    // Assert
    expect(response.status).toBe(200);
    expect(response.body).toEqual(nonsense);
  });

  it("when a middleware stores a value in res.locals, then that request's handler sees it and the next request starts empty", async () => {
    // Arrange: no container, no injection; per-request state rides on `res.locals`.
    let calls = 0;
    const app = express();
    app.use((req, res, next) => {
      calls += 1;
      if (req.query.user) res.locals.user = req.query.user;
      next();
    });
    app.get("/me", (_req, res) => {
      res.json({ user: res.locals.user ?? null });
    });

    // Act
    const first = await request(app).get("/me?user=ada");
    const second = await request(app).get("/me");

    // Assert
    expect(calls).toBe(2);
    expect(first.body).toEqual({ user: "ada" });
    expect(second.body).toEqual({ user: null });
  });
});
