import { beforeAll, describe, expect, it } from "@jest/globals";
import {
  byAnswer,
  DROP_PRODUCTS,
  extract,
  LOGIN_BYPASS,
  SANITIZER_BYPASS,
  SORT_LEAKS_HASHES,
  SORT_THEN_DROP,
  sleepIf,
  UNION_HASHES,
} from "../src/attacks.js";
import type { ShopClient } from "../src/client.js";
import { createSafeApp } from "../src/sql-injection.js";
import { shopPerFile } from "./shop-fixture.js";

// Validation is defence in depth. To show the parameters alone are the
// fix, we run the safe app with its input checks switched off.
describe("validation is not the fix", () => {
  const t = shopPerFile("sqli_validation");
  let unvalidated: ShopClient;

  beforeAll(async () => {
    unvalidated = await t.serve(createSafeApp(t.shop.web, { validate: false }));
  });

  it("when validation is on, then malformed input is refused with a 400 that names the field", async () => {
    // Act
    const replies = await Promise.all([
      t.safe.product("1 AND 1=1"),
      t.safe.products("price", "1000000"),
      t.safe.search("x".repeat(101)),
    ]);

    // Assert
    expect(replies.map((r) => [r.status, r.body.error])).toEqual([
      [400, "id is not valid"],
      [400, "limit is not valid"],
      [400, "q is not valid"],
    ]);
  });

  it("when validation is off, then the parameters alone still stop every attack in this package", async () => {
    // Act
    const login = await unvalidated.login(LOGIN_BYPASS, "x");
    const union = await unvalidated.search(UNION_HASHES);
    const sort = await unvalidated.products(SORT_LEAKS_HASHES);
    const sanitizerBypass = await unvalidated.product(SANITIZER_BYPASS);
    const blind = await extract(byAnswer(unvalidated), "SELECT 'secret'");
    const sleepy = await unvalidated.product(sleepIf("1=1", 1));
    const slept = await t.vulnerable.product(sleepIf("1=1", 1));
    await unvalidated.search(DROP_PRODUCTS);
    await unvalidated.products(SORT_THEN_DROP);
    await unvalidated.product("1; DROP TABLE products");

    // Assert
    expect(login.status).toBe(401);
    expect(union.body.products).toEqual([]);
    expect(sort.status).toBe(400);
    expect(sanitizerBypass.status).toBe(400);
    expect(sanitizerBypass.body.error).toBe("invalid input");
    expect(blind.text).toBe("");
    expect(sleepy.status).toBe(400);
    expect(slept.ms / sleepy.ms).toBeGreaterThan(5);
    expect(await t.tableExists("products")).toBe(true);
  });
});
