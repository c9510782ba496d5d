import { beforeAll, describe, expect, it } from "@jest/globals";
import { DROP_PRODUCTS, SHELL_INTO_PRODUCTS, UNION_CARDS, UNION_HASHES } from "../src/attacks.js";
import type { ShopClient } from "../src/client.js";
import { createVulnerableApp } from "../src/vulnerable-app.js";
import { shopPerFile } from "./shop-fixture.js";

// The same vulnerable app twice: connected as the superuser, and as the web
// role that may only SELECT from products and users. The injection works
// against both; what it can do differs.
describe("least privilege as defence in depth", () => {
  const t = shopPerFile("sqli_privilege");
  let asWebRole: ShopClient;

  beforeAll(async () => {
    asWebRole = await t.serve(createVulnerableApp(t.shop.web));
  });

  it("when the vulnerable app connects as a superuser, then an injected UNION reads the payment cards", async () => {
    // Act
    const reply = await t.vulnerable.search(UNION_CARDS);

    // Assert
    expect(reply.status).toBe(200);
    expect(reply.body.products).toHaveLength(3);
    expect(reply.body.products![0]!.name).toMatch(/^4111 1111 1111 \d{4}$/);
  });

  it("when it connects as the web role, then the same UNION is refused with 42501", async () => {
    // Act
    const reply = await asWebRole.search(UNION_CARDS);

    // Assert
    expect(reply.status).toBe(500);
    expect(reply.body.code).toBe("42501");
    expect(reply.body.error).toBe("permission denied for table payment_cards");
  });

  it("when it connects as a superuser, then an injected COPY FROM PROGRAM runs a shell command on the database host", async () => {
    // Act: the command's output (the server's OS user) lands as a product.
    await t.vulnerable.search(SHELL_INTO_PRODUCTS);
    const { rows } = await t.shop.owner.query(
      "SELECT name FROM products WHERE price_cents = 0 AND name NOT LIKE '% %'",
    );

    // Assert
    expect(rows.map((r) => r.name)).toEqual(["postgres"]);
  });

  it("when it connects as the web role, then the same COPY FROM PROGRAM is refused with 42501", async () => {
    // Act
    const reply = await asWebRole.search(SHELL_INTO_PRODUCTS);

    // Assert
    expect(reply.status).toBe(500);
    expect(reply.body.code).toBe("42501");
    expect(reply.body.error).toMatch(/pg_execute_server_program/);
  });

  it("when it connects as the web role, then an injected DROP TABLE is refused because the role owns nothing", async () => {
    // Act
    const reply = await asWebRole.search(DROP_PRODUCTS);

    // Assert
    expect(reply.body.code).toBe("42501");
    expect(reply.body.error).toBe("must be owner of table products");
    expect(await t.tableExists("products")).toBe(true);
  });

  it("when it connects as the web role, then the injection still reads what the role may read: the password hashes", async () => {
    // Act
    const reply = await asWebRole.search(UNION_HASHES);

    // Assert: least privilege limits the damage; it does not stop the injection.
    expect(reply.status).toBe(200);
    expect(reply.body.products!.map((p) => p.name.split(":")[0]).sort()).toEqual([
      "admin",
      "alice",
      "bob",
    ]);
  });
});
