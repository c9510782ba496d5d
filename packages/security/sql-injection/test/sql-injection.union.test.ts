import { beforeAll, describe, expect, it } from "@jest/globals";
import { UNION_HASHES } from "../src/attacks.js";
import { shopPerFile } from "./shop-fixture.js";

describe("data exfiltration with UNION SELECT", () => {
  const t = shopPerFile("sqli_union");
  let hashes: string[];

  beforeAll(async () => {
    const { rows } = await t.shop.owner.query<{ entry: string }>(
      "SELECT username || ':' || password_hash AS entry FROM users ORDER BY id",
    );
    hashes = rows.map((r) => r.entry);
  });

  it("when the search text closes the literal and appends UNION SELECT, then the vulnerable app returns every user's password hash as a product", async () => {
    // Act
    const reply = await t.vulnerable.search(UNION_HASHES);

    // Assert
    expect(reply.status).toBe(200);
    const names = reply.body.products!.map((p) => p.name).sort();
    expect(names).toEqual([...hashes].sort());
  });

  it("when the same text is sent to the safe app, then it is a search that matches nothing and leaks nothing", async () => {
    // Act
    const reply = await t.safe.search(UNION_HASHES);

    // Assert
    expect(reply.status).toBe(200);
    expect(reply.body.products).toEqual([]);
  });

  it("when an honest search contains a quote, then the vulnerable app fails with a syntax error and the safe app finds the product", async () => {
    // Act
    const [vulnerable, safe] = await Promise.all([
      t.vulnerable.search("O'Brien"),
      t.safe.search("O'Brien"),
    ]);

    // Assert
    expect(vulnerable.status).toBe(500);
    expect(vulnerable.body.code).toBe("42601");
    expect(safe.status).toBe(200);
    expect(safe.body.products!.map((p) => p.name)).toEqual(["O'Brien's breakfast tea"]);
  });
});
