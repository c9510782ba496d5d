import { describe, expect, it } from "@jest/globals";
import express from "express";
import request from "supertest";
import { createApp } from "../src/express-middleware.js";
import type { Step } from "../src/middlewares.js";

const TOKEN = "chain-test-token";

function tracedApp() {
  const steps: Step[] = [];
  const { app } = createApp({ token: TOKEN, trace: (step) => steps.push(step) });
  return { app, steps };
}

describe("the middleware chain", () => {
  it("when middleware is registered in some order, then every request runs it in exactly that order", async () => {
    // Arrange: two apps with the same three functions, registered in opposite orders.
    const build = (names: string[]) => {
      const seen: string[] = [];
      const app = express();
      for (const name of names) {
        app.use((_req, _res, next) => {
          seen.push(name);
          next();
        });
      }
      app.get("/", (_req, res) => {
        res.send("ok");
      });
      return { app, seen };
    };
    const forward = build(["parse", "auth", "log"]);
    const backward = build(["log", "auth", "parse"]);

    // Act
    await request(forward.app).get("/").expect(200);
    await request(backward.app).get("/").expect(200);

    // Assert
    expect(forward.seen).toEqual(["parse", "auth", "log"]);
    expect(backward.seen).toEqual(["log", "auth", "parse"]);
  });

  it("when a middleware neither responds nor calls next, then the request hangs until the client gives up", async () => {
    // Arrange
    let reachedHandler = false;
    const app = express();
    app.use((_req, _res, _next) => {
      // forgot to call next()
    });
    app.get("/", (_req, res) => {
      reachedHandler = true;
      res.send("ok");
    });

    // Act
    const outcome = await request(app)
      .get("/")
      .timeout(300)
      .then(
        () => "answered",
        (error: { timeout?: number }) => (error.timeout ? "client timed out" : "other error"),
      );

    // Assert
    expect(outcome).toBe("client timed out");
    expect(reachedHandler).toBe(false);
  });

  it("when an authorised order is posted, then it passes requestId, accessLog, requireBearer, json and the handler in registration order", async () => {
    // Arrange
    const { app, steps } = tracedApp();

    // Act
    await request(app)
      .post("/api/orders")
      .set("Authorization", `Bearer ${TOKEN}`)
      .send({ item: "tea", quantity: 2 })
      .expect(201);

    // Assert
    expect(steps.map((s) => s.name)).toEqual([
      "requestId",
      "accessLog",
      "requireBearer",
      "json",
      "createOrder",
    ]);
    expect(steps.at(-1)?.outcome).toBe("responded");
  });

  it("when a middleware is mounted with app.use('/api', fn), then req.url loses the prefix, req.baseUrl holds it and req.originalUrl keeps it all", async () => {
    // Arrange
    const app = express();
    app.use("/api", (req, res) => {
      res.json({ url: req.url, baseUrl: req.baseUrl, originalUrl: req.originalUrl });
    });

    // Act
    const response = await request(app).get("/api/orders/7?expand=items");

    // Assert
    expect(response.body).toEqual({
      url: "/orders/7?expand=items",
      baseUrl: "/api",
      originalUrl: "/api/orders/7?expand=items",
    });
  });

  it("when app.use is given a path, then it runs for every method and every path below it, but not for a longer segment", async () => {
    // Arrange
    const hits: string[] = [];
    const app = express();
    app.use("/admin", (req, res) => {
      hits.push(`${req.method} ${req.originalUrl}`);
      res.send("admin");
    });

    // Act
    await request(app).get("/admin").expect(200);
    await request(app).post("/admin/users").expect(200);
    await request(app).delete("/admin/users/7/sessions").expect(200);
    await request(app).get("/administrator").expect(404);

    // Assert
    expect(hits).toEqual(["GET /admin", "POST /admin/users", "DELETE /admin/users/7/sessions"]);
  });

  it("when app.get is given a path, then it answers GET and HEAD on exactly that path and nothing else", async () => {
    // Arrange
    const app = express();
    app.get("/report", (_req, res) => {
      res.send("report");
    });

    // Act
    const get = await request(app).get("/report");
    const head = await request(app).head("/report");
    const post = await request(app).post("/report");
    const below = await request(app).get("/report/2024");

    // Assert
    expect([get.status, head.status, post.status, below.status]).toEqual([200, 200, 404, 404]);
  });

  it("when a request does not enter a router, then the router's middleware does not run", async () => {
    // Arrange
    const { app, steps } = tracedApp();

    // Act
    await request(app).get("/health").expect(200);

    // Assert
    expect(steps.map((s) => s.name)).toEqual(["requestId", "accessLog", "health"]);
  });

  it("when a request enters a router, then the router's middleware runs even if no route in it matches", async () => {
    // Arrange
    const { app, steps } = tracedApp();

    // Act
    const response = await request(app).get("/api/no-such-route");

    // Assert: the auth check answered before the router could say 404.
    expect(response.status).toBe(401);
    expect(steps.map((s) => s.name)).toContain("requireBearer");
  });
});
