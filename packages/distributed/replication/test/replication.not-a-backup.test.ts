import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { freshTable, type PostgresPair, startPostgresPair } from "./fixtures.js";

// A replica copies every change, the mistakes included, within milliseconds.
describe("a replica is not a backup", () => {
  let postgres: PostgresPair;

  beforeAll(async () => {
    postgres = await startPostgresPair();
  });

  afterAll(async () => {
    await postgres?.[Symbol.asyncDispose]();
  });

  it("when rows are deleted by mistake on the primary, then the replica deletes them too", async () => {
    // Arrange
    const table = await freshTable(postgres.db, "orders");
    await postgres.db.write(
      `insert into ${table} (id, v) select g, 'order ' || g from generate_series(1, 100) g`,
    );
    await postgres.db.waitForReplay();
    const before = (await postgres.db.read(`select * from ${table}`)).rowCount;

    // Act: a DELETE that forgot its WHERE clause.
    await postgres.db.write(`delete from ${table}`);
    await postgres.db.waitForReplay();

    // Assert
    expect(before).toBe(100);
    expect((await postgres.db.read(`select * from ${table}`)).rowCount).toBe(0);
  });
});
