import { balanceOf, doctorsOnCall } from "./bank.js";
import { errorCode, type Isolation, lockWait, type Session } from "./sessions.js";
import { transaction } from "./transactions.js";

// Isolation is easiest to believe when we drive the race by hand. Each
// example below runs two transactions on two connections, T1 and T2, and
// interleaves their statements in a fixed order by awaiting each step:
// no sleeps, no luck. The same code runs on PostgreSQL and on MariaDB.

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
}

function deferred(): Deferred {
  let resolve = () => {};
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/** How T1 and T2 run in {@link lostUpdate}. */
export interface LostUpdateOptions {
  isolation?: Isolation;
  /** Read with `SELECT … FOR UPDATE` instead of a plain SELECT. */
  lockRows?: boolean;
  /** How many times T2 is re-run after a serialization failure. */
  retries?: number;
  /** Told about each step as it happens. */
  narrate?: Narrate;
}

/** Receives one line per step of an interleaving, e.g. ("T1", "reads 100"). */
export type Narrate = (actor: "T1" | "T2", what: string) => void;

export interface LostUpdateOutcome {
  /** The balance after both tellers are done; `expected` if no update was lost. */
  final: number;
  expected: number;
  /** What T2 read first: the balance before T1's deposit, unless it waited for T1. */
  t2Read: number;
  /** T2 was seen waiting for T1's row lock. */
  t2Waited: boolean;
  t2Attempts: number;
  /** Why T2 failed, if it did. */
  t2Error?: unknown;
}

// The lost update. Two tellers deposit into one account by reading the
// balance, adding to it in the application and writing the sum back:
//
//   T1 reads 100 · T2 reads 100 · T1 writes 110, commits · T2 writes 120, commits
//
// The account should hold 130. What happens to T2's write is the whole
// difference between isolation levels, and between databases.

/** T1 deposits 10 and T2 deposits 20 into `account`, read-modify-write, interleaved. */
export async function lostUpdate(
  [t1, t2, monitor]: [Session, Session, Session],
  account: string,
  { isolation, lockRows = false, retries = 0, narrate = () => {} }: LostUpdateOptions = {},
): Promise<LostUpdateOutcome> {
  const start = await balanceOf(monitor, account);
  const read = async (session: Session) => {
    const forUpdate = lockRows ? " FOR UPDATE" : "";
    const [row] = await session.query<{ balance: number }>(
      `SELECT balance FROM accounts WHERE id = $1${forUpdate}`,
      [account],
    );
    return Number(row?.balance);
  };
  const write = (session: Session, balance: number) =>
    session.query("UPDATE accounts SET balance = $2 WHERE id = $1", [account, balance]);

  // Step 1: T1 reads.
  await t1.begin(isolation);
  const t1Balance = await read(t1);
  narrate("T1", `reads ${t1Balance}`);

  // Step 2: T2 reads. With FOR UPDATE its read cannot finish: T1 holds
  // the row lock. We wait until the server says T2 is waiting, not longer.
  const t2HasRead = deferred();
  const t1Committed = deferred();
  let t2Attempts = 0;
  let t2Read = Number.NaN;
  const t2Done = transaction(
    t2,
    async () => {
      t2Attempts++;
      const balance = await read(t2);
      if (t2Attempts === 1) t2Read = balance;
      narrate("T2", `${t2Attempts > 1 ? "retries: " : ""}reads ${balance}`);
      t2HasRead.resolve();
      await t1Committed.promise; // Step 4 starts only after step 3.
      await write(t2, balance + 20);
      narrate("T2", `writes ${balance + 20}`);
    },
    {
      isolation,
      retries,
      onRetry: (_, error) => narrate("T2", `fails: ${describeError(error)}`),
    },
  ).then(
    () => narrate("T2", "commits"),
    (error: unknown) => {
      narrate("T2", `fails: ${describeError(error)}`);
      return { error };
    },
  );
  const watching = new AbortController();
  const t2Waited = await Promise.race([
    t2HasRead.promise.then(() => false),
    t2Done.then(() => false),
    lockWait(monitor, t2, watching.signal).then(() => true),
  ]);
  watching.abort();
  if (t2Waited) narrate("T2", "waits for T1's row lock");

  // Step 3: T1 writes what it read plus 10, and commits.
  await write(t1, t1Balance + 10);
  await t1.query("COMMIT");
  narrate("T1", `writes ${t1Balance + 10}, commits`);
  t1Committed.resolve();

  // Step 4: T2 writes what it read plus 20, and commits (or fails).
  const failed = await t2Done;
  return {
    final: await balanceOf(monitor, account),
    expected: start + 30,
    t2Read,
    t2Waited,
    t2Attempts,
    ...(failed ? { t2Error: failed.error } : {}),
  };
}

// The non-repeatable read: T1 reads a row twice, and between the two
// reads T2 changes it and commits. Under READ COMMITTED each statement
// sees what was committed when it started, so T1's second read differs.
// Under REPEATABLE READ the whole transaction sees one snapshot.

/** T1 reads `account` twice; between the reads T2 sets it to `changeTo` and commits. */
export async function nonRepeatableRead(
  [t1, t2]: [Session, Session],
  account: string,
  changeTo: number,
  isolation: Isolation,
): Promise<{ first: number; second: number }> {
  return transaction(
    t1,
    async () => {
      const first = await balanceOf(t1, account);
      await t2.query("UPDATE accounts SET balance = $2 WHERE id = $1", [account, changeTo]);
      const second = await balanceOf(t1, account);
      return { first, second };
    },
    { isolation },
  );
}

export interface WriteSkewOutcome {
  /** Doctors on call once both transactions are done. */
  onCall: string[];
  t1: "went off call" | "stayed on call";
  t2: "went off call" | "stayed on call" | "failed";
  t2Attempts: number;
  t2Error?: unknown;
}

// Write skew: the rule is "at least one doctor on call". Alice and Bob
// both feel unwell at once. Each checks that two doctors are on call, so
// it is safe to leave, and takes only themselves off. No row is written by
// both, so no lock conflicts and REPEATABLE READ sees nothing wrong, yet
// the rule is broken. SERIALIZABLE notices that the two transactions read
// what the other wrote, and aborts one; re-run, it finds one doctor left.

/** `first` and `second` each go off call if at least two doctors are on call. */
export async function writeSkew(
  [t1, t2, monitor]: [Session, Session, Session],
  [first, second]: [string, string],
  {
    isolation,
    retries = 0,
    narrate = () => {},
  }: { isolation: Isolation; retries?: number; narrate?: Narrate },
): Promise<WriteSkewOutcome> {
  const onCallCount = async (session: Session) => {
    const [row] = await session.query<{ n: number }>(
      "SELECT COUNT(*) AS n FROM doctors WHERE on_call",
    );
    return Number(row?.n);
  };
  const leaveIfCovered = async (session: Session, name: string, seen: number) => {
    if (seen < 2) return "stayed on call" as const;
    await session.query("UPDATE doctors SET on_call = FALSE WHERE name = $1", [name]);
    return "went off call" as const;
  };
  const actor = (session: Session) => (session === t1 ? "T1" : "T2");
  const seeing = (session: Session, name: string, seen: number) =>
    narrate(actor(session), `${name} sees ${seen} doctor${seen === 1 ? "" : "s"} on call`);
  const decided = (session: Session, name: string, outcome: WriteSkewOutcome["t1"]) =>
    narrate(
      actor(session),
      `${name} ${outcome === "went off call" ? "goes off call" : "stays on call"}`,
    );

  // Step 1: T1 reads the rota. Step 2: T2 reads it.
  await t1.begin(isolation);
  const t1Seen = await onCallCount(t1);
  seeing(t1, first, t1Seen);
  let t2Attempts = 0;
  const t2HasRead = deferred();
  const t1Committed = deferred();
  const t2Done = transaction(
    t2,
    async () => {
      t2Attempts++;
      const seen = await onCallCount(t2);
      seeing(t2, `${t2Attempts > 1 ? "retries: " : ""}${second}`, seen);
      t2HasRead.resolve();
      await t1Committed.promise; // Step 4 starts only after step 3.
      const outcome = await leaveIfCovered(t2, second, seen);
      decided(t2, second, outcome);
      return outcome;
    },
    {
      isolation,
      retries,
      onRetry: (_, error) => narrate("T2", `fails: ${describeError(error)}`),
    },
  ).then(
    (outcome) => {
      narrate("T2", "commits");
      return outcome;
    },
    (error: unknown) => {
      narrate("T2", `fails: ${describeError(error)}`);
      return { error };
    },
  );
  await Promise.race([t2HasRead.promise, t2Done]);

  // Step 3: T1 takes its doctor off call and commits. Step 4: T2 does.
  const t1Outcome = await leaveIfCovered(t1, first, t1Seen);
  decided(t1, first, t1Outcome);
  await t1.query("COMMIT");
  narrate("T1", "commits");
  t1Committed.resolve();

  const t2Outcome = await t2Done;
  return {
    onCall: await doctorsOnCall(monitor),
    t1: t1Outcome,
    t2: typeof t2Outcome === "string" ? t2Outcome : "failed",
    t2Attempts,
    ...(typeof t2Outcome === "string" ? {} : { t2Error: t2Outcome.error }),
  };
}

/** `40001 could not serialize access …`: the code, then the message's first line. */
export function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
  const code = errorCode(error);
  return code ? `${code} ${message}` : message;
}
