import { afterEach, describe, expect, it, jest } from "@jest/globals";
import express from "express";
import request from "supertest";
import { createApp } from "../src/express-errors.js";

const SECRET = "password=hunter2 at db.internal:5432";
const STACK_FRAME = /at .*\.(ts|js):\d+/;

function failingApp(env: string) {
  const app = express();
  app.set("env", env);
  app.get("/boom", () => {
    throw new Error(SECRET);
  });
  return app;
}

/** Express's default handler logs with `console.error`, a tick after it answers. */
function captureConsoleError(): Promise<unknown> {
  return new Promise((resolve) => {
    jest.spyOn(console, "error").mockImplementation((first: unknown) => {
      resolve(first);
    });
  });
}

afterEach(() => {
  jest.restoreAllMocks();
});

describe("what a production client sees", () => {
  it("when env is production, then Express's default handler sends neither the message nor the stack, and logs the stack", async () => {
    // Arrange
    const logged = captureConsoleError();
    const app = failingApp("production");

    // Act
    const response = await request(app).get("/boom");

    // Assert
    expect(response.status).toBe(500);
    expect(response.text).toContain("Internal Server Error");
    expect(response.text).not.toContain("hunter2");
    expect(response.text).not.toMatch(STACK_FRAME);
    const error = (await logged) as Error;
    expect(error.message).toBe(SECRET);
    expect(error.stack).toMatch(STACK_FRAME);
  });

  it("when env is development, then Express's default handler sends the message and the stack to the client", async () => {
    // Arrange
    const logged = captureConsoleError();
    const app = failingApp("development");

    // Act
    const response = await request(app).get("/boom");
    await logged;

    // Assert
    expect(response.status).toBe(500);
    expect(response.text).toContain("hunter2");
    expect(response.text).toMatch(STACK_FRAME);
  });

  it("when env is production and a bug throws, then our handler sends a bare 500 problem and logs the error with its stack", async () => {
    // Arrange
    const log: unknown[] = [];
    const app = createApp({ env: "production", log: (error) => log.push(error) });

    // Act
    const response = await request(app).get("/reports/daily");

    // Assert
    expect(response.status).toBe(500);
    expect(response.body).toEqual({
      type: "about:blank",
      title: "Internal Server Error",
      status: 500,
      instance: "/reports/daily",
    });
    expect(log).toHaveLength(1);
    expect((log[0] as Error).stack).toMatch(STACK_FRAME);
  });

  it("when env is development and a bug throws, then our handler adds the message and the stack for the developer", async () => {
    // Arrange
    const app = createApp({ env: "development", log: () => {} });

    // Act
    const response = await request(app).get("/reports/daily");

    // Assert
    expect(response.status).toBe(500);
    expect(response.body.detail).toMatch(/length/);
    expect(response.body.stack.join("\n")).toMatch(STACK_FRAME);
  });
});
