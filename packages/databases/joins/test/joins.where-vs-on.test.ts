import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { ScratchDatabase, services } from "@playground/kit";
import { createShop, FILTERS, type Pair, rowsOf } from "../src/joins.js";
import { explain, joins } from "../src/plan.js";

const pair = (customer: string | null, order_id: number | null): Pair => ({ customer, order_id });

describe("joins: a filter in WHERE versus in ON", () => {
  let db: ScratchDatabase;

  beforeAll(async () => {
    const server = await services.postgres();
    db = await ScratchDatabase.create(server.url, "joins_filter");
    await createShop(db.pool);
  });

  afterAll(async () => {
    await db?.[Symbol.asyncDispose]();
  });

  it("when a LEFT JOIN filters the right table in WHERE, then it returns exactly the rows of an INNER JOIN", async () => {
    // Act
    const inWhere = await rowsOf(db.pool, FILTERS.inWhere);
    const inner = await rowsOf(db.pool, FILTERS.innerJoin);

    // Assert: Chen, whom the LEFT JOIN was meant to keep, is gone.
    expect(inWhere).toEqual([pair("Ada", 100), pair("Brian", 102)]);
    expect(inWhere).toEqual(inner);
  });

  it("when the same filter is in ON, then every customer is kept and those with no paid order get NULLs", async () => {
    // Act
    const inOn = await rowsOf(db.pool, FILTERS.inOn);

    // Assert
    expect(inOn).toEqual([pair("Ada", 100), pair("Brian", 102), pair("Chen", null)]);
  });

  it("when the filter is in WHERE, then the planner itself plans an inner join; in ON it keeps the outer join", async () => {
    // Act
    const inWhere = joins((await explain(db.pool, FILTERS.inWhere)).plan);
    const inOn = joins((await explain(db.pool, FILTERS.inOn)).plan);

    // Assert
    expect(inWhere.map((join) => join.type)).toEqual(["Inner"]);
    expect(inOn).toHaveLength(1);
    expect(inOn[0]!.type).not.toBe("Inner");
  });
});
