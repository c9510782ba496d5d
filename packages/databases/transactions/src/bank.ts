import type { Session } from "./sessions.js";

/**
 * The bank every example uses. The same statements run on PostgreSQL and
 * MariaDB: table-level FOREIGN KEY clauses, because MariaDB ignores a
 * REFERENCES written on a column.
 *
 * The constraints are the "C" of ACID that the database can check for us:
 * no balance below zero, no transfer to or from an account that does not
 * exist, no transfer of a non-positive amount.
 */
export const BANK_SCHEMA = [
  `CREATE TABLE accounts (
     id      VARCHAR(20) PRIMARY KEY,
     balance INT NOT NULL CHECK (balance >= 0)
   )`,
  `CREATE TABLE transfers (
     id      VARCHAR(40) PRIMARY KEY,
     from_id VARCHAR(20) NOT NULL,
     to_id   VARCHAR(20) NOT NULL,
     amount  INT NOT NULL CHECK (amount > 0),
     FOREIGN KEY (from_id) REFERENCES accounts (id),
     FOREIGN KEY (to_id) REFERENCES accounts (id)
   )`,
  // The on-call rota of the write-skew example: at least one doctor
  // must stay on call, an invariant no single-row constraint can state.
  `CREATE TABLE doctors (
     name    VARCHAR(20) PRIMARY KEY,
     on_call BOOLEAN NOT NULL
   )`,
];

/** Creates the bank's tables. */
export async function createBank(session: Session): Promise<void> {
  for (const statement of BANK_SCHEMA) await session.query(statement);
}

/** Opens (or resets) accounts with the given balances. */
export async function openAccounts(
  session: Session,
  balances: Record<string, number>,
): Promise<void> {
  for (const [id, balance] of Object.entries(balances)) {
    await session.query("DELETE FROM transfers WHERE from_id = $1 OR to_id = $1", [id]);
    await session.query("DELETE FROM accounts WHERE id = $1", [id]);
    await session.query("INSERT INTO accounts (id, balance) VALUES ($1, $2)", [id, balance]);
  }
}

/** The balances of the given accounts, by id. */
export async function balances(session: Session, ids: string[]): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const id of ids) result[id] = await balanceOf(session, id);
  return result;
}

export async function balanceOf(session: Session, id: string): Promise<number> {
  const [row] = await session.query<{ balance: number }>(
    "SELECT balance FROM accounts WHERE id = $1",
    [id],
  );
  if (!row) throw new Error(`No account ${id}: open it first with openAccounts().`);
  return Number(row.balance);
}

/** Puts the given doctors on call (and everyone else in the table off). */
export async function rota(session: Session, onCall: string[]): Promise<void> {
  await session.query("DELETE FROM doctors");
  for (const name of onCall) {
    await session.query("INSERT INTO doctors (name, on_call) VALUES ($1, TRUE)", [name]);
  }
}

export async function doctorsOnCall(session: Session): Promise<string[]> {
  const rows = await session.query<{ name: string }>(
    "SELECT name FROM doctors WHERE on_call ORDER BY name",
  );
  return rows.map((row) => row.name);
}
