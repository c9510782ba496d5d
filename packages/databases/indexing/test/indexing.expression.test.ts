import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { ScratchDatabase } from "@playground/kit";
import { loadUsers } from "../src/indexing.js";
import { indexesUsed, scanTypes } from "../src/plan.js";
import { indexCase, run, USERS } from "./cases.js";
import { testDatabase } from "./database.js";

describe("indexing: an expression index", () => {
  let db: ScratchDatabase;
  const expression = indexCase("expression");

  beforeAll(async () => {
    db = await testDatabase("indexing_expression");
    await loadUsers(db.pool, USERS);
  });

  afterAll(async () => {
    await db?.[Symbol.asyncDispose]();
  });

  it("when a query filters on lower(email) and only email is indexed, then the index is not used", async () => {
    // Act
    const { plan } = await run(db.pool, expression.miss);

    // Assert
    expect(expression.miss.setup.join()).toContain("users_email ON users (email)");
    expect(scanTypes(plan)).toEqual(["Seq Scan"]);
    expect(plan["Actual Rows"]).toBe(1);
  });

  it("when an expression index on lower(email) exists, then the same query uses it", async () => {
    // Act
    const { plan } = await run(db.pool, expression.hit);

    // Assert
    expect(indexesUsed(plan)).toEqual(["users_lower_email"]);
    expect(plan["Actual Rows"]).toBe(1);
  });
});
