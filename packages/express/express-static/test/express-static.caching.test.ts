import { mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import request from "supertest";
import { createSite } from "../src/express-static.js";

describe("validators and conditional GETs", () => {
  it("when a file is served, then it carries an ETag and a Last-Modified header", async () => {
    // Arrange
    const app = createSite();

    // Act
    const response = await request(app).get("/style.css");

    // Assert
    expect(response.status).toBe(200);
    expect(response.headers.etag).toMatch(/^W\/".+"$/);
    expect(new Date(response.headers["last-modified"]!).getTime()).not.toBeNaN();
  });

  it("when the client sends back the ETag in If-None-Match, then it gets 304 with an empty body", async () => {
    // Arrange
    const app = createSite();
    const first = await request(app).get("/index.html");

    // Act
    const again = await request(app).get("/index.html").set("If-None-Match", first.headers.etag!);

    // Assert
    expect(again.status).toBe(304);
    expect(again.text).toBe("");
    expect(again.headers.etag).toBe(first.headers.etag);
  });

  it("when the client sends back Last-Modified in If-Modified-Since, then it gets 304", async () => {
    // Arrange
    const app = createSite();
    const first = await request(app).get("/data.json");

    // Act
    const again = await request(app)
      .get("/data.json")
      .set("If-Modified-Since", first.headers["last-modified"]!);

    // Assert
    expect(again.status).toBe(304);
  });

  it("when the file changes, then its ETag changes and the old validator gets the new file with 200", async () => {
    // Arrange: a root of our own, so we can change a file in it.
    const root = await mkdtemp(path.join(tmpdir(), "express-static-"));
    try {
      const file = path.join(root, "note.txt");
      await writeFile(file, "version one");
      await utimes(file, new Date("2024-01-01T00:00:00Z"), new Date("2024-01-01T00:00:00Z"));
      const app = createSite({ root });
      const before = await request(app).get("/note.txt");

      // Act
      await writeFile(file, "version two, longer");
      const after = await request(app).get("/note.txt").set("If-None-Match", before.headers.etag!);

      // Assert
      expect(after.status).toBe(200);
      expect(after.text).toBe("version two, longer");
      expect(after.headers.etag).not.toBe(before.headers.etag);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe("Cache-Control", () => {
  it("when no maxAge is given, then files say 'public, max-age=0': store, but revalidate every time", async () => {
    // Arrange
    const app = createSite();

    // Act
    const response = await request(app).get("/app.js");

    // Assert
    expect(response.headers["cache-control"]).toBe("public, max-age=0");
  });

  it("when maxAge is set, then Cache-Control carries it in seconds", async () => {
    // Arrange
    const app = createSite({ maxAge: "1h" });

    // Act
    const response = await request(app).get("/app.js");

    // Assert
    expect(response.headers["cache-control"]).toBe("public, max-age=3600");
  });

  it("when a fingerprinted asset is served with immutable, then Cache-Control says a year and immutable", async () => {
    // Arrange
    const app = createSite();

    // Act
    const response = await request(app).get("/assets/app.3f9a2c.js");

    // Assert
    expect(response.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
  });
});
