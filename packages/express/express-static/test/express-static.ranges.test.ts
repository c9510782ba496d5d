import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import request from "supertest";
import { createSite, PUBLIC_ROOT } from "../src/express-static.js";

const ALPHABET = path.join(PUBLIC_ROOT, "alphabet.txt");

describe("byte ranges", () => {
  it("when a file is served whole, then the response advertises Accept-Ranges: bytes", async () => {
    // Arrange
    const app = createSite();

    // Act
    const response = await request(app).get("/alphabet.txt");

    // Assert
    expect(response.status).toBe(200);
    expect(response.headers["accept-ranges"]).toBe("bytes");
  });

  it("when a client asks for bytes=0-4, then it gets 206, Content-Range 0-4 of the size, and exactly those bytes", async () => {
    // Arrange
    const app = createSite();
    const whole = await readFile(ALPHABET, "utf8");

    // Act
    const response = await request(app).get("/alphabet.txt").set("Range", "bytes=0-4");

    // Assert
    expect(response.status).toBe(206);
    expect(response.headers["content-range"]).toBe(`bytes 0-4/${whole.length}`);
    expect(response.headers["content-length"]).toBe("5");
    expect(response.text).toBe(whole.slice(0, 5));
  });

  it("when a client asks for the last three bytes, then it gets 206 and the tail of the file", async () => {
    // Arrange
    const app = createSite();
    const whole = await readFile(ALPHABET, "utf8");

    // Act
    const response = await request(app).get("/alphabet.txt").set("Range", "bytes=-3");

    // Assert
    expect(response.status).toBe(206);
    expect(response.headers["content-range"]).toBe(
      `bytes ${whole.length - 3}-${whole.length - 1}/${whole.length}`,
    );
    expect(response.text).toBe(whole.slice(-3));
  });

  it("when a range starts past the end, then it gets 416 with Content-Range bytes */size", async () => {
    // Arrange
    const app = createSite();
    const whole = await readFile(ALPHABET, "utf8");

    // Act
    const response = await request(app).get("/alphabet.txt").set("Range", "bytes=1000-");

    // Assert
    expect(response.status).toBe(416);
    expect(response.headers["content-range"]).toBe(`bytes */${whole.length}`);
  });
});
