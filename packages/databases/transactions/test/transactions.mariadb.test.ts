import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { lostUpdate } from "../src/anomalies.js";
import { openAccounts } from "../src/bank.js";
import { type Engine, errorCode, type Session } from "../src/sessions.js";
import { openTestBank, type TestBank, uniqueAccount } from "./bank-fixture.js";

// The same lost-update interleaving, at each engine's default level and at
// REPEATABLE READ, which both engines name but do not mean the same by.
describe.each<{ engine: Engine }>([{ engine: "postgres" }, { engine: "mariadb" }])(
  "transactions: the same interleaving on $engine",
  ({ engine }) => {
    let bank: TestBank;
    let t1: Session;
    let t2: Session;

    beforeAll(async () => {
      bank = await openTestBank(engine, "tx_engines");
    });

    afterAll(async () => {
      await bank?.close();
    });

    beforeEach(async () => {
      [t1, t2] = await Promise.all([bank.connect(), bank.connect()]);
    });

    afterEach(async () => {
      await Promise.all([t1.close(), t2.close()]);
    });

    it("when T1 reads, T2 reads, T1 writes and commits, T2 writes and commits at the default level, then one update is lost", async () => {
      // Arrange
      const account = uniqueAccount("shared");
      await openAccounts(bank.admin, { [account]: 100 });

      // Act
      const outcome = await lostUpdate([t1, t2, bank.admin], account);

      // Assert
      expect(outcome.t2Error).toBeUndefined();
      expect(outcome.final).toBe(120);
    });

    it("when both read with SELECT … FOR UPDATE, then T2 waits for T1 and no update is lost", async () => {
      // Arrange
      const account = uniqueAccount("shared");
      await openAccounts(bank.admin, { [account]: 100 });

      // Act
      const outcome = await lostUpdate([t1, t2, bank.admin], account, { lockRows: true });

      // Assert
      expect(outcome.t2Waited).toBe(true);
      expect(outcome.final).toBe(130);
    });
  },
);

describe("transactions: PostgreSQL and MariaDB under REPEATABLE READ", () => {
  const banks: Partial<Record<Engine, TestBank>> = {};
  const sessions: Session[] = [];

  beforeAll(async () => {
    banks.postgres = await openTestBank("postgres", "tx_rr");
    banks.mariadb = await openTestBank("mariadb", "tx_rr");
  });

  afterAll(async () => {
    await banks.postgres?.close();
    await banks.mariadb?.close();
  });

  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((session) => session.close()));
  });

  const tellers = async (engine: Engine): Promise<[Session, Session, Session]> => {
    const bank = banks[engine]!;
    const [t1, t2] = await Promise.all([bank.connect(), bank.connect()]);
    sessions.push(t1, t2);
    return [t1, t2, bank.admin];
  };

  it("when neither is told a level, then PostgreSQL runs READ COMMITTED and MariaDB REPEATABLE READ", async () => {
    // Arrange
    const [pg] = await tellers("postgres");
    const [maria] = await tellers("mariadb");

    // Act
    const [pgLevel] = await pg.query("SHOW transaction_isolation");
    const [mariaLevel] = await maria.query("SELECT @@tx_isolation AS transaction_isolation");

    // Assert
    expect(pgLevel).toEqual({ transaction_isolation: "read committed" });
    expect(mariaLevel).toEqual({ transaction_isolation: "REPEATABLE-READ" });
  });

  it("when the read-modify-write runs under PostgreSQL's REPEATABLE READ, then T2's write fails with 40001 and no update is silently lost", async () => {
    // Arrange
    const account = uniqueAccount("shared");
    await openAccounts(banks.postgres!.admin, { [account]: 100 });

    // Act
    const outcome = await lostUpdate(await tellers("postgres"), account, {
      isolation: "REPEATABLE READ",
    });

    // Assert
    expect(errorCode(outcome.t2Error)).toBe("40001");
    expect(outcome.final).toBe(110);
  });

  it("when the read-modify-write runs under MariaDB's REPEATABLE READ, then T2's write succeeds and silently overwrites T1's deposit", async () => {
    // Arrange
    const account = uniqueAccount("shared");
    await openAccounts(banks.mariadb!.admin, { [account]: 100 });

    // Act
    const outcome = await lostUpdate(await tellers("mariadb"), account, {
      isolation: "REPEATABLE READ",
    });

    // Assert
    expect(outcome.t2Error).toBeUndefined();
    expect(outcome.t2Read).toBe(100);
    expect(outcome.final).toBe(120);
  });

  it("when MariaDB runs with innodb_snapshot_isolation=ON, then T2's write fails with error 1020 and no update is lost silently", async () => {
    // Arrange
    const account = uniqueAccount("shared");
    await openAccounts(banks.mariadb!.admin, { [account]: 100 });
    const [t1, t2, monitor] = await tellers("mariadb");
    await t1.query("SET SESSION innodb_snapshot_isolation = ON");
    await t2.query("SET SESSION innodb_snapshot_isolation = ON");

    // Act
    const outcome = await lostUpdate([t1, t2, monitor], account, { isolation: "REPEATABLE READ" });

    // Assert: 1020 is ER_CHECKREAD, "Record has changed since last read".
    expect(errorCode(outcome.t2Error)).toBe("1020");
    expect(outcome.final).toBe(110);
  });

  it("when MariaDB's T2 is retried after error 1020, then both deposits land", async () => {
    // Arrange
    const account = uniqueAccount("shared");
    await openAccounts(banks.mariadb!.admin, { [account]: 100 });
    const [t1, t2, monitor] = await tellers("mariadb");
    await t1.query("SET SESSION innodb_snapshot_isolation = ON");
    await t2.query("SET SESSION innodb_snapshot_isolation = ON");

    // Act
    const outcome = await lostUpdate([t1, t2, monitor], account, {
      isolation: "REPEATABLE READ",
      retries: 3,
    });

    // Assert
    expect(outcome.t2Attempts).toBe(2);
    expect(outcome.final).toBe(130);
  });
});
