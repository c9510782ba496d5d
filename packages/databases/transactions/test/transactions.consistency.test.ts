import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { balances, openAccounts } from "../src/bank.js";
import { type Engine, errorCode, type Session } from "../src/sessions.js";
import { transaction, transfer } from "../src/transactions.js";
import { openTestBank, type TestBank, uniqueAccount } from "./bank-fixture.js";

// The same constraints, the same transfer, on both engines. Only the error
// codes differ: SQLSTATE in PostgreSQL, error numbers in MariaDB.
const engines: { engine: Engine; check: string; foreignKey: string }[] = [
  { engine: "postgres", check: "23514", foreignKey: "23503" },
  { engine: "mariadb", check: "4025", foreignKey: "1452" },
];

describe.each(engines)("transactions: consistency ($engine)", ({ engine, check, foreignKey }) => {
  let bank: TestBank;
  let session: Session;

  beforeAll(async () => {
    bank = await openTestBank(engine, "tx_consistency");
  });

  afterAll(async () => {
    await bank?.close();
  });

  beforeEach(async () => {
    session = await bank.connect();
  });

  afterEach(async () => {
    await session.close();
  });

  it("when a transfer would take a balance below zero, then the CHECK constraint rejects it and neither balance changes", async () => {
    // Arrange
    const [alice, bob] = [uniqueAccount("alice"), uniqueAccount("bob")];
    await openAccounts(bank.admin, { [alice]: 30, [bob]: 0 });

    // Act
    const code = await transaction(session, (s) =>
      transfer(s, { from: alice, to: bob, amount: 50 }),
    ).then(() => "committed", errorCode);

    // Assert
    expect(code).toBe(check);
    expect(await balances(bank.admin, [alice, bob])).toEqual({ [alice]: 30, [bob]: 0 });
  });

  it("when a transfer names an account that does not exist, then the foreign key rejects it and the debit already made is undone", async () => {
    // Arrange
    const alice = uniqueAccount("alice");
    await openAccounts(bank.admin, { [alice]: 100 });
    let debited = false;

    // Act: the debit succeeds; the ledger row for a missing account does not.
    const code = await transaction(session, (s) =>
      transfer(
        s,
        { from: alice, to: "nobody", amount: 40 },
        {
          afterDebit: () => {
            debited = true;
          },
        },
      ),
    ).then(() => "committed", errorCode);

    // Assert
    expect(debited).toBe(true);
    expect(code).toBe(foreignKey);
    expect(await balances(bank.admin, [alice])).toEqual({ [alice]: 100 });
    const ledger = await bank.admin.query("SELECT * FROM transfers WHERE from_id = $1", [alice]);
    expect(ledger).toHaveLength(0);
  });

  it("when a transfer is valid, then both balances and the ledger change together", async () => {
    // Arrange
    const [alice, bob] = [uniqueAccount("alice"), uniqueAccount("bob")];
    await openAccounts(bank.admin, { [alice]: 100, [bob]: 5 });

    // Act
    await transaction(session, (s) => transfer(s, { from: alice, to: bob, amount: 40 }));

    // Assert
    expect(await balances(bank.admin, [alice, bob])).toEqual({ [alice]: 60, [bob]: 45 });
    const ledger = await bank.admin.query<{ amount: number }>(
      "SELECT amount FROM transfers WHERE from_id = $1",
      [alice],
    );
    expect(ledger.map((row) => Number(row.amount))).toEqual([40]);
  });
});
