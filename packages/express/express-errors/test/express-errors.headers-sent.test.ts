import { afterEach, describe, expect, it, jest } from "@jest/globals";
import { listen } from "@playground/kit";
import express, { type NextFunction, type Request, type Response } from "express";
import { createApp } from "../src/express-errors.js";

/** Resolves with what `console.error` was first called with. */
function captureConsoleError(): Promise<unknown> {
  return new Promise((resolve) => {
    jest.spyOn(console, "error").mockImplementation((first: unknown) => {
      resolve(first);
    });
  });
}

/** Reads a body to its end or its failure, keeping what did arrive. */
async function readAll(response: globalThis.Response): Promise<{ text: string; failed: boolean }> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text, failed: false };
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    return { text, failed: true };
  }
}

afterEach(() => {
  jest.restoreAllMocks();
});

describe("errors after the headers are sent", () => {
  it("when a handler fails after the headers are sent, then the client gets a 200 whose body is cut off", async () => {
    // Arrange
    const logged = captureConsoleError();
    const ourLog: unknown[] = [];
    await using server = await listen(createApp({ env: "production", log: (e) => ourLog.push(e) }));

    // Act
    const response = await fetch(`${server.url}/orders.csv`);
    const body = await readAll(response);

    // Assert: the status was already 200, and the connection was destroyed mid-body.
    expect(response.status).toBe(200);
    expect(body.failed).toBe(true);
    expect(body.text.startsWith("id,item\n")).toBe(true);
    expect(String(await logged)).toContain("database connection lost during export");
    expect(ourLog).toEqual([]);
  });

  it("when an error handler ignores res.headersSent and answers anyway, then the log shows ERR_HTTP_HEADERS_SENT instead of the real error", async () => {
    // Arrange
    const logged = captureConsoleError();
    const app = express();
    app.set("env", "production");
    app.get("/export", async (_req, res) => {
      res.write("partial");
      await new Promise((resolve) => setImmediate(resolve));
      throw new Error("the real cause");
    });
    app.use((_err: Error, _req: Request, res: Response, _next: NextFunction) => {
      res.status(500).send("Something broke!");
    });
    await using server = await listen(app);

    // Act
    const response = await fetch(`${server.url}/export`);
    const body = await readAll(response);

    // Assert
    expect(body.failed).toBe(true);
    expect(await logged).toMatchObject({ code: "ERR_HTTP_HEADERS_SENT" });
  });
});
