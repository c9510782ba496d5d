import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { balances, openAccounts } from "../src/bank.js";
import { errorCode, type Session } from "../src/sessions.js";
import { transaction, transfer } from "../src/transactions.js";
import { openTestBank, type TestBank, uniqueAccount } from "./bank-fixture.js";

const crashBetweenHalves = () => {
  throw new Error("the application failed between the debit and the credit");
};

describe("transactions: atomicity (PostgreSQL)", () => {
  let bank: TestBank;
  let session: Session;

  beforeAll(async () => {
    bank = await openTestBank("postgres", "tx_atomicity");
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

  /** What `pg_stat_activity` says the session is doing: `idle`, `idle in transaction`, … */
  const stateOf = async (target: Session) => {
    const [row] = await bank.admin.query<{ state: string }>(
      "SELECT state FROM pg_stat_activity WHERE pid = $1",
      [target.id],
    );
    return row?.state;
  };

  /** Tries to lock the row without waiting: the SQLSTATE if someone holds it, else "free". */
  const rowLock = async (account: string) => {
    try {
      await bank.admin.query("SELECT 1 FROM accounts WHERE id = $1 FOR UPDATE NOWAIT", [account]);
      return "free";
    } catch (error) {
      return errorCode(error);
    }
  };

  it("when a transfer fails between the debit and the credit, then neither balance changes", async () => {
    // Arrange
    const [alice, bob] = [uniqueAccount("alice"), uniqueAccount("bob")];
    await openAccounts(bank.admin, { [alice]: 100, [bob]: 0 });

    // Act
    const attempt = transaction(session, (s) =>
      transfer(s, { from: alice, to: bob, amount: 40 }, { afterDebit: crashBetweenHalves }),
    );

    // Assert
    await expect(attempt).rejects.toThrow("between the debit and the credit");
    expect(await balances(bank.admin, [alice, bob])).toEqual({ [alice]: 100, [bob]: 0 });
  });

  it("when the same transfer fails without a transaction, then the debit stays and the money is gone", async () => {
    // Arrange
    const [alice, bob] = [uniqueAccount("alice"), uniqueAccount("bob")];
    await openAccounts(bank.admin, { [alice]: 100, [bob]: 0 });

    // Act: autocommit, every statement its own transaction.
    const attempt = transfer(
      session,
      { from: alice, to: bob, amount: 40 },
      { afterDebit: crashBetweenHalves },
    );

    // Assert
    await expect(attempt).rejects.toThrow("between the debit and the credit");
    expect(await balances(bank.admin, [alice, bob])).toEqual({ [alice]: 60, [bob]: 0 });
  });

  it("when the work inside a transaction throws, then the helper rolls back, the connection is idle and the row lock is released", async () => {
    // Arrange
    const [alice, bob] = [uniqueAccount("alice"), uniqueAccount("bob")];
    await openAccounts(bank.admin, { [alice]: 100, [bob]: 0 });

    // Act
    await transaction(session, (s) =>
      transfer(s, { from: alice, to: bob, amount: 40 }, { afterDebit: crashBetweenHalves }),
    ).catch(() => {});

    // Assert
    expect(await stateOf(session)).toBe("idle");
    expect(await rowLock(alice)).toBe("free");
  });

  it("when the work throws and nobody rolls back, then the connection stays idle in transaction and keeps the debited row locked", async () => {
    // Arrange
    const [alice, bob] = [uniqueAccount("alice"), uniqueAccount("bob")];
    await openAccounts(bank.admin, { [alice]: 100, [bob]: 0 });

    // Act: BEGIN with no ROLLBACK on the error path.
    await session.begin();
    await transfer(
      session,
      { from: alice, to: bob, amount: 40 },
      { afterDebit: crashBetweenHalves },
    ).catch(() => {});

    // Assert: 55P03 is lock_not_available.
    expect(await stateOf(session)).toBe("idle in transaction");
    expect(await rowLock(alice)).toBe("55P03");
    expect(await balances(bank.admin, [alice, bob])).toEqual({ [alice]: 100, [bob]: 0 });
  });

  it("when a statement fails inside a transaction, then PostgreSQL rejects every later statement until ROLLBACK", async () => {
    // Arrange
    const alice = uniqueAccount("alice");
    await openAccounts(bank.admin, { [alice]: 100 });
    await session.begin();
    await session.query("UPDATE accounts SET balance = balance - 10 WHERE id = $1", [alice]);

    // Act
    const failed = await session.query("SELECT 1 / 0").catch(errorCode);
    const next = await session.query("SELECT 1 AS one").catch(errorCode);
    await session.query("ROLLBACK");
    const afterRollback = await session.query("SELECT 1 AS one");

    // Assert: 22012 is division_by_zero, 25P02 in_failed_sql_transaction.
    expect(failed).toBe("22012");
    expect(next).toBe("25P02");
    expect(afterRollback).toEqual([{ one: 1 }]);
    expect(await balances(bank.admin, [alice])).toEqual({ [alice]: 100 });
  });
});
