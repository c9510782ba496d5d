import { describe, expect, it } from "@jest/globals";
import pg from "pg";
import { BACKSLASH_LOGIN, LOGIN_BYPASS, SANITIZER_BYPASS } from "../src/attacks.js";
import { escapeQuotes, sanitize } from "../src/sanitize.js";
import { createVulnerableApp } from "../src/vulnerable-app.js";
import { shopPerFile } from "./shop-fixture.js";

/** The vulnerable login's WHERE clause, with a chosen way of quoting the two inputs. */
const loginWhere = (quote: (input: string) => string) =>
  `SELECT username FROM users WHERE username = ${quote(BACKSLASH_LOGIN.username)}
   AND password_hash = crypt(${quote(BACKSLASH_LOGIN.password)}, password_hash)`;

describe("hand-written sanitizing", () => {
  describe("with PostgreSQL's default standard_conforming_strings = on", () => {
    const t = shopPerFile("sqli_sanitize");

    it("when quotes are escaped and the input sits inside a quoted literal, then the login bypass is stopped", async () => {
      // Arrange
      const escaped = await t.serve(createVulnerableApp(t.shop.owner, { filter: escapeQuotes }));

      // Act
      const [quote, backslash] = await Promise.all([
        escaped.login(LOGIN_BYPASS, "x"),
        escaped.login(BACKSLASH_LOGIN.username, BACKSLASH_LOGIN.password),
      ]);

      // Assert
      expect(quote.status).toBe(401);
      expect(backslash.status).toBe(401);
    });

    it("when the filter also strips keywords, then a number, $$dollar quotes$$ and a nested UNIunionON still read the admin's hash", async () => {
      // Arrange
      const sanitized = await t.serve(createVulnerableApp(t.shop.owner, { filter: sanitize }));
      const { rows } = await t.shop.owner.query(
        "SELECT password_hash FROM users WHERE username = 'admin'",
      );

      // Act
      const reply = await sanitized.product(SANITIZER_BYPASS);

      // Assert
      expect(sanitize(SANITIZER_BYPASS)).toContain("UNION SELECT");
      expect(reply.status).toBe(200);
      expect(reply.body.product?.name).toBe(rows[0].password_hash);
    });

    it("when the app writes an E'' literal, then a backslash breaks out of escaped quotes even with standard_conforming_strings on", async () => {
      // Act
      const { rows } = await t.shop.owner.query(loginWhere((s) => `E'${escapeQuotes(s)}'`));

      // Assert
      expect(rows.map((r) => r.username).sort()).toEqual(["admin", "alice", "bob"]);
    });
  });

  describe("with standard_conforming_strings = off", () => {
    const t = shopPerFile("sqli_backslash", { standard_conforming_strings: "off" });

    it("when standard_conforming_strings is off, then a backslash un-escapes the quote and escaped input logs in as the admin", async () => {
      // Arrange
      const escaped = await t.serve(createVulnerableApp(t.shop.owner, { filter: escapeQuotes }));

      // Act
      const reply = await escaped.login(BACKSLASH_LOGIN.username, BACKSLASH_LOGIN.password);

      // Assert
      expect(reply.status).toBe(200);
      expect(reply.body.user).toMatchObject({ username: "admin", is_admin: true });
    });

    it("when pg's escapeLiteral quotes the same inputs, then they stay inside their strings and nobody logs in", async () => {
      // Act
      const { rows } = await t.shop.owner.query(loginWhere(pg.escapeLiteral));

      // Assert
      expect(rows).toEqual([]);
    });
  });
});
