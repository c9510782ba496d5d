import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import request from "supertest";
import { createSite, PUBLIC_ROOT } from "../src/express-static.js";

describe("dotfiles", () => {
  it("when dotfiles are left at the default, then a dotfile and a file in a dot-directory are 404", async () => {
    // Arrange
    const app = createSite();

    // Act
    const env = await request(app).get("/.env");
    const nested = await request(app).get("/.private/notes.txt");

    // Assert
    expect([env.status, nested.status]).toEqual([404, 404]);
    expect(env.text).not.toContain("dotfile-must-not-be-served");
  });

  it("when dotfiles is 'deny' and fallthrough is off, then a dotfile is 403", async () => {
    // Arrange
    const app = createSite({ dotfiles: "deny", fallthrough: false });

    // Act
    const response = await request(app).get("/.env");

    // Assert
    expect(response.status).toBe(403);
  });

  it("when dotfiles is 'allow', then the same dotfile is served, so the 404 was a decision", async () => {
    // Arrange
    const app = createSite({ dotfiles: "allow" });

    // Act
    const response = await request(app).get("/.env").buffer(true);

    // Assert
    expect(response.status).toBe(200);
    expect(String(response.body)).toContain("dotfile-must-not-be-served");
  });
});

describe("directories", () => {
  it("when a directory is asked for with a trailing slash, then its index.html is served", async () => {
    // Arrange
    const app = createSite();
    const index = await readFile(path.join(PUBLIC_ROOT, "docs", "index.html"), "utf8");

    // Act
    const root = await request(app).get("/");
    const docs = await request(app).get("/docs/");

    // Assert
    expect(root.text).toContain("Served by express.static");
    expect(docs.text).toBe(index);
  });

  it("when a directory is asked for without the slash, then it is redirected with 301 to the slashed path", async () => {
    // Arrange
    const app = createSite();

    // Act
    const response = await request(app).get("/docs");

    // Assert
    expect(response.status).toBe(301);
    expect(response.headers.location).toBe("/docs/");
  });
});

describe("content types", () => {
  it("when files of different extensions are served, then each gets its Content-Type", async () => {
    // Arrange
    const app = createSite();
    const expected: Record<string, string> = {
      "/index.html": "text/html; charset=utf-8",
      "/style.css": "text/css; charset=utf-8",
      "/app.js": "text/javascript; charset=utf-8",
      "/data.json": "application/json; charset=utf-8",
      "/pixel.png": "image/png",
    };

    // Act
    const seen: Record<string, string | undefined> = {};
    for (const file of Object.keys(expected)) {
      seen[file] = (await request(app).get(file)).headers["content-type"];
    }

    // Assert
    expect(seen).toEqual(expected);
  });
});
