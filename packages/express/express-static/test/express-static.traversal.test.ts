import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { type Listening, listen } from "@playground/kit";
import express from "express";
import { createSite, PUBLIC_ROOT, SECRET_FILE } from "../src/express-static.js";
import { naiveStatic } from "../src/naive-static.js";
import { rawGet } from "../src/raw-get.js";

// Paths that, decoded once and normalised, climb above the root.
const CLIMBS = [
  "/../secret.txt",
  "/%2e%2e/secret.txt",
  "/..%2fsecret.txt",
  "/%2e%2e%2fsecret.txt",
  "/docs/../../secret.txt",
  "/docs/..%2f..%2fsecret.txt",
  "/%2E%2E%5Csecret.txt",
];
// Encoded twice: one decode leaves `%2e%2e%2f`, a harmless literal name.
const DOUBLE_ENCODED = ["/%252e%252e%252fsecret.txt", "/..%252fsecret.txt"];

let secret: string;
let site: Listening;
let strict: Listening;
let naive: Listening;

beforeAll(async () => {
  secret = (await readFile(SECRET_FILE, "utf8")).trim();
  site = await listen(createSite());
  strict = await listen(createSite({ fallthrough: false }));
  const naiveApp = express();
  naiveApp.use(naiveStatic(PUBLIC_ROOT));
  naive = await listen(naiveApp);
});

afterAll(async () => {
  await Promise.all([site.close(), strict.close(), naive.close()]);
});

describe("path traversal", () => {
  it("when raw paths try to climb out of the root, then express.static never serves the secret file", async () => {
    // Arrange
    const attempts = [...CLIMBS, ...DOUBLE_ENCODED];

    // Act
    const responses = await Promise.all(attempts.map((p) => rawGet(site.url, p)));

    // Assert
    for (const response of responses) {
      expect([403, 404]).toContain(response.status);
      expect(response.body.toString()).not.toContain(secret);
    }
  });

  it("when fallthrough is off, then every path that climbs above the root after one decode is refused with 403", async () => {
    // Arrange: nothing; `strict` answers refusals itself.

    // Act
    const responses = await Promise.all(CLIMBS.map((p) => rawGet(strict.url, p)));

    // Assert
    expect(responses.map((r) => r.status)).toEqual(CLIMBS.map(() => 403));
  });

  it("when a path is encoded twice, then it is decoded only once and is just a file that does not exist", async () => {
    // Arrange: nothing; `strict` answers refusals itself.

    // Act
    const responses = await Promise.all(DOUBLE_ENCODED.map((p) => rawGet(strict.url, p)));

    // Assert
    expect(responses.map((r) => r.status)).toEqual(DOUBLE_ENCODED.map(() => 404));
  });

  it("when a hand-rolled handler joins the decoded path onto the root, then the same raw paths leak the secret", async () => {
    // Arrange
    const leaky = ["/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt"];

    // Act
    const responses = await Promise.all(leaky.map((p) => rawGet(naive.url, p)));

    // Assert
    for (const response of responses) {
      expect(response.status).toBe(200);
      expect(response.body.toString()).toContain(secret);
    }
  });
});
