import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { lostUpdate, nonRepeatableRead, writeSkew } from "../src/anomalies.js";
import { openAccounts, rota } from "../src/bank.js";
import { errorCode, type Session } from "../src/sessions.js";
import { openTestBank, type TestBank, uniqueAccount } from "./bank-fixture.js";

// Every test drives two transactions, T1 and T2, on two connections, in a
// fixed order of steps (see src/anomalies.ts). A third connection watches.
describe("transactions: isolation (PostgreSQL)", () => {
  let bank: TestBank;
  let t1: Session;
  let t2: Session;

  beforeAll(async () => {
    bank = await openTestBank("postgres", "tx_isolation");
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

  describe("the lost update: T1 reads, T2 reads, T1 writes and commits, T2 writes and commits", () => {
    it("when both read-modify-write under READ COMMITTED, then T2 overwrites T1's deposit and one update is lost", async () => {
      // Arrange
      const account = uniqueAccount("shared");
      await openAccounts(bank.admin, { [account]: 100 });

      // Act
      const outcome = await lostUpdate([t1, t2, bank.admin], account, {
        isolation: "READ COMMITTED",
      });

      // Assert
      expect(outcome.t2Error).toBeUndefined();
      expect(outcome.t2Read).toBe(100);
      expect(outcome.expected).toBe(130);
      expect(outcome.final).toBe(120);
    });

    it("when both read with SELECT … FOR UPDATE, then T2 waits for T1's commit, reads its result and no update is lost", async () => {
      // Arrange
      const account = uniqueAccount("shared");
      await openAccounts(bank.admin, { [account]: 100 });

      // Act
      const outcome = await lostUpdate([t1, t2, bank.admin], account, {
        isolation: "READ COMMITTED",
        lockRows: true,
      });

      // Assert
      expect(outcome.t2Waited).toBe(true);
      expect(outcome.t2Read).toBe(110);
      expect(outcome.t2Error).toBeUndefined();
      expect(outcome.final).toBe(130);
    });

    it("when both run under SERIALIZABLE, then T2's write fails with 40001 and only T1's deposit lands", async () => {
      // Arrange
      const account = uniqueAccount("shared");
      await openAccounts(bank.admin, { [account]: 100 });

      // Act
      const outcome = await lostUpdate([t1, t2, bank.admin], account, {
        isolation: "SERIALIZABLE",
      });

      // Assert
      expect(outcome.t2Waited).toBe(false);
      expect(errorCode(outcome.t2Error)).toBe("40001");
      expect(outcome.final).toBe(110);
    });

    it("when T2 is retried after 40001 under SERIALIZABLE, then its second attempt reads T1's result and both deposits land", async () => {
      // Arrange
      const account = uniqueAccount("shared");
      await openAccounts(bank.admin, { [account]: 100 });

      // Act
      const outcome = await lostUpdate([t1, t2, bank.admin], account, {
        isolation: "SERIALIZABLE",
        retries: 3,
      });

      // Assert
      expect(outcome.t2Error).toBeUndefined();
      expect(outcome.t2Attempts).toBe(2);
      expect(outcome.final).toBe(130);
    });
  });

  describe("the non-repeatable read: T1 reads, T2 changes the row and commits, T1 reads again", () => {
    it("when T1 runs under READ COMMITTED, then its second read sees T2's commit", async () => {
      // Arrange
      const account = uniqueAccount("shared");
      await openAccounts(bank.admin, { [account]: 100 });

      // Act
      const reads = await nonRepeatableRead([t1, t2], account, 50, "READ COMMITTED");

      // Assert
      expect(reads).toEqual({ first: 100, second: 50 });
    });

    it("when T1 runs under REPEATABLE READ, then both reads return the same value", async () => {
      // Arrange
      const account = uniqueAccount("shared");
      await openAccounts(bank.admin, { [account]: 100 });

      // Act
      const reads = await nonRepeatableRead([t1, t2], account, 50, "REPEATABLE READ");

      // Assert
      expect(reads).toEqual({ first: 100, second: 100 });
      expect(
        await bank.admin.query("SELECT balance FROM accounts WHERE id = $1", [account]),
      ).toEqual([{ balance: 50 }]);
    });
  });

  describe("write skew: Alice and Bob each go off call if two doctors are on call", () => {
    it("when both run under REPEATABLE READ, then both commit and nobody is left on call", async () => {
      // Arrange
      await rota(bank.admin, ["alice", "bob"]);

      // Act
      const outcome = await writeSkew([t1, t2, bank.admin], ["alice", "bob"], {
        isolation: "REPEATABLE READ",
      });

      // Assert
      expect(outcome.t1).toBe("went off call");
      expect(outcome.t2).toBe("went off call");
      expect(outcome.onCall).toEqual([]);
    });

    it("when both run under SERIALIZABLE, then T2 fails with 40001 and Bob is still on call", async () => {
      // Arrange
      await rota(bank.admin, ["alice", "bob"]);

      // Act
      const outcome = await writeSkew([t1, t2, bank.admin], ["alice", "bob"], {
        isolation: "SERIALIZABLE",
      });

      // Assert
      expect(outcome.t1).toBe("went off call");
      expect(outcome.t2).toBe("failed");
      expect(errorCode(outcome.t2Error)).toBe("40001");
      expect(outcome.onCall).toEqual(["bob"]);
    });

    it("when T2 is retried after 40001 under SERIALIZABLE, then it sees one doctor left and stays on call", async () => {
      // Arrange
      await rota(bank.admin, ["alice", "bob"]);

      // Act
      const outcome = await writeSkew([t1, t2, bank.admin], ["alice", "bob"], {
        isolation: "SERIALIZABLE",
        retries: 3,
      });

      // Assert
      expect(outcome.t2Attempts).toBe(2);
      expect(outcome.t2).toBe("stayed on call");
      expect(outcome.onCall).toEqual(["bob"]);
    });
  });
});
